import type { LaneKind } from "../config/lane-limits";
import { errorSummary, log } from "../log.server";
import type { WorkKind } from "../work-signal.server";
import { QUANTUM, serveLane, type Lane, type LaneTurn, type LaneWork } from "./lane-owner.server";
import { startPollingWorker } from "./polling-worker.server";

const IDLE_POLL_MS = 1000;
// While lanes are being served, ready lanes are looked for this often.
const BUSY_POLL_MS = 200;
// Lanes one process serves at once; the rest wait for the next look, in turn.
const MAX_LANES_AT_ONCE = 64;

/** Lanes of one kind of work: how to find those with work ready, and what serving them means. */
export interface LaneKindOfWork<T> {
  name: LaneKind;
  wakesOn: WorkKind;
  readyLanes(now: Date): Promise<Lane[]>;
  work: LaneWork<T>;
}

/** Serves every ready lane one quantum, side by side, and returns when all are over: one pass, for tests and one-off callers. */
export async function serveReadyLanesOnce<T>(
  kind: LaneKindOfWork<T>,
  { owner, now, maxPerLane = QUANTUM.maxEvents }: { owner: string; now: Date; maxPerLane?: number },
): Promise<LaneTurn[]> {
  const lanes = await kind.readyLanes(now);
  return Promise.all(
    lanes.map((lane) => serveLane(lane, kind.work, { owner, now, quantum: { ...QUANTUM, maxEvents: maxPerLane } })),
  );
}

/**
 * Serves lanes of one kind in this process: ready lanes are looked for at once when work is
 * signalled here, often while lanes are being served, and every second regardless (work queued
 * by other processes, retries coming due). Each lane found is served one quantum on its own, at
 * most MAX_LANES_AT_ONCE at a time; a lane another process owns, or one paused by a 429, waits.
 */
export function startLaneRunner<T>(kind: LaneKindOfWork<T>, { owner }: { owner: string }) {
  const serving = new Map<string, Promise<void>>();
  const pausedUntil = new Map<string, number>();
  const worker = startPollingWorker(
    kind.wakesOn,
    async () => {
      const now = new Date();
      for (const lane of await kind.readyLanes(now)) {
        if (serving.size >= MAX_LANES_AT_ONCE) break;
        if (serving.has(lane.key) || (pausedUntil.get(lane.key) ?? 0) > now.getTime()) continue;
        pausedUntil.delete(lane.key);
        const turn = serveLane(lane, kind.work, { owner, now: new Date(), quantum: QUANTUM })
          .then((ended) => {
            if (ended.ended === "paused") pausedUntil.set(lane.key, ended.until);
          })
          .catch((error) =>
            log.error(`${kind.name} lane quantum failed`, { lane: lane.key, error: errorSummary(error) }),
          )
          .finally(() => serving.delete(lane.key));
        serving.set(lane.key, turn);
      }
      return { runAgainInMs: serving.size > 0 ? BUSY_POLL_MS : undefined };
    },
    IDLE_POLL_MS,
  );
  return {
    /** Stops looking for lanes and waits for the quanta being served (each within Klaviyo's request timeout). */
    async stop() {
      await worker.stop();
      await Promise.all(serving.values());
    },
  };
}
