import type PgBoss from "pg-boss";
import { errorSummary, log } from "../log.server";
import { ensureQueue, releaseJobEngine, useJobEngine } from "./job-engine.server";
import { laneOfKey, QUANTUM, serveLane, type LaneTurn } from "./lane-owner.server";
import type { LaneKindOfWork } from "./lane-runner.server";
import { accountOfLane } from "./lanes";
import { startPollingWorker } from "./polling-worker.server";

// On PostgreSQL each lane activation is a pg-boss job: one queue, the lane's key as singleton
// key. The queue's policy is "short" (at most one queued job per key): pg-boss 10's "stately"
// fetch fails whole whenever the oldest queued job's key is active, which would stall every lane
// behind one busy lane. One owner at a time is the lane row's hold (takeLane), as on SQLite.
// A pause or a retry of a held lane is a second key, `<key>:later`, with startAfter, so a wake-up
// for new work is never refused because a later one is waiting.
export const LANE_QUEUE = "lanes";

// Lanes one process serves at once.
const MAX_LANES_AT_ONCE = 64;
// How often a process asks pg-boss for lanes to serve, and looks for lanes with work ready.
const FETCH_EVERY_MS = 250;
const DISCOVER_EVERY_MS = 1000;
// A lane job still active this long is expired by pg-boss (its owner died); the lane itself is
// free again once its owner's hold runs out (quantum + Klaviyo's timeout).
const LANE_JOB_EXPIRY_SECONDS = 60;
// A lane another process still holds is asked about again this much later.
const HELD_RETRY_MS = 1000;

interface LaneJob {
  key: string;
}

const wakeUp = (key: string, startAfter?: Date): PgBoss.JobInsert<LaneJob> => ({
  name: LANE_QUEUE,
  data: { key },
  singletonKey: startAfter ? `${key}:later` : key,
  ...(startAfter ? { startAfter } : {}),
  expireInSeconds: LANE_JOB_EXPIRY_SECONDS,
  retryLimit: 0,
});

/** What comes after a lane's quantum: at once when it had more, after the pause, soon when another held it. */
function successorOf(key: string, turn: LaneTurn): PgBoss.JobInsert<LaneJob> | undefined {
  switch (turn.ended) {
    case "more":
      return wakeUp(key);
    case "paused":
      return wakeUp(key, new Date(turn.until));
    case "held_elsewhere":
      return wakeUp(key, new Date(Date.now() + HELD_RETRY_MS));
    case "drained":
      return undefined;
  }
}

/**
 * Serves lanes of these kinds on PostgreSQL, with pg-boss: lanes with work ready are found here
 * (on a signal of new work, and every second: retries coming due, work queued elsewhere) and
 * woken as jobs; any process fetches a lane's job, serves one quantum, and wakes its successor.
 * A paused lane's next job starts after the pause, in every process.
 */
export async function startLaneJobs(kinds: Array<LaneKindOfWork<unknown>>, { owner }: { owner: string }) {
  const boss = await useJobEngine();
  await ensureQueue(boss, LANE_QUEUE, { policy: "short", retryLimit: 0 });
  const kindOf = new Map<string, LaneKindOfWork<unknown>>(kinds.map((kind) => [kind.name, kind]));
  // The lanes being served here, by key; and every turn still finishing (giving its job back), for stop.
  const serving = new Map<string, object>();
  const finishing = new Set<Promise<void>>();
  let stopped = false;
  let fetching = false;

  const serve = (job: PgBoss.Job<LaneJob>) => {
    const { key } = job.data;
    const kind = kindOf.get(accountOfLane(key).kind);
    const duplicate = !kind || serving.has(key);
    // This turn's mark on the lane: the lane is this turn's until the mark is taken off.
    const mine = {};
    if (!duplicate) serving.set(key, mine);
    const release = () => {
      if (serving.get(key) === mine) serving.delete(key);
    };
    const turn = (async () => {
      try {
        if (duplicate) {
          await boss.complete(LANE_QUEUE, job.id);
          return;
        }
        const lane = await laneOfKey(kind.name, key);
        const ended = await serveLane(lane, kind.work, { owner, now: new Date(), quantum: QUANTUM });
        // The lane is free here before its successor is queued: a successor fetched at once must
        // not find it still being served, or it would be completed unserved as a duplicate.
        release();
        const next = successorOf(key, ended);
        if (next) await boss.insert([next]);
        await boss.complete(LANE_QUEUE, job.id);
        // A lane with more ready goes on now, not at the next fetch tick (a quarter of a quantum).
        if (ended.ended === "more") void fetchLanes();
      } catch (error) {
        log.error("lane job failed", { lane: key, error: errorSummary(error) });
        await boss.fail(LANE_QUEUE, job.id, { error: errorSummary(error) }).catch(() => undefined);
      }
    })().finally(() => {
      release();
      finishing.delete(turn);
    });
    finishing.add(turn);
  };

  const fetchLanes = async () => {
    if (fetching || stopped) return;
    fetching = true;
    try {
      const room = MAX_LANES_AT_ONCE - serving.size;
      if (room > 0) for (const job of await boss.fetch<LaneJob>(LANE_QUEUE, { batchSize: room })) serve(job);
    } catch (error) {
      log.error("fetching lane jobs failed", { error: errorSummary(error) });
    } finally {
      fetching = false;
    }
  };
  const fetchTimer = setInterval(() => void fetchLanes(), FETCH_EVERY_MS);

  const discovery = kinds.map((kind) =>
    startPollingWorker(
      kind.wakesOn,
      async () => {
        const ready = (await kind.readyLanes(new Date())).filter((lane) => !serving.has(lane.key));
        // Idempotent: a lane with a job queued already keeps that one.
        if (ready.length) await boss.insert(ready.map((lane) => wakeUp(lane.key)));
        void fetchLanes();
        return {};
      },
      DISCOVER_EVERY_MS,
    ),
  );

  return {
    /** Stops fetching and discovering, waits for the quanta being served, and gives the engine back. */
    async stop() {
      stopped = true;
      clearInterval(fetchTimer);
      await Promise.all(discovery.map((worker) => worker.stop()));
      while (fetching) await new Promise((resolve) => setTimeout(resolve, 20));
      await Promise.all(finishing);
      await releaseJobEngine();
    },
  };
}
