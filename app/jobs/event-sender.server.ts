import type { KlaviyoConnection } from "@prisma/client";
import { onPostgres } from "../db/sql.server";
import { log } from "../log.server";
import { EVENT_STATUS } from "../tracking/event-status";
import { recordAttempts } from "./event-queue/attempts.server";
import { CANCEL_REASONS, cancelQueued } from "./event-queue/cancel.server";
import {
  claimReadyEvents,
  releaseLeases,
  shopsWithReadyEvents,
  type ClaimedEvent,
  type ShopWithReadyEvents,
} from "./event-queue/claim.server";
import { settleClaimed, settlementFor } from "./event-queue/settle.server";
import { startLaneJobs } from "./lane-jobs.server";
import { lanesOf, QUANTUM, type Lane, type PauseLane } from "./lane-owner.server";
import { serveReadyLanesOnce, startLaneRunner, type LaneKindOfWork } from "./lane-runner.server";
import { sendInLane } from "./lane-send.server";
import { laneKey } from "./lanes";
import { releaseProfileLeases } from "./profile-queue.server";
import { PROFILE_LANES } from "./profile-sync.server";

import { WORKER_ID } from "./worker-id.server";

export { WORKER_ID };

export interface DeliveryPass {
  sent: number;
  /** When this worker should look again: 0 when more is ready now. */
  nextPassInMs: number;
}

/** The lanes with live events ready now, each with its ready shops; shops no longer connected have their events cancelled. */
async function readyLanes(now: Date): Promise<Lane[]> {
  const shops = await shopsWithReadyEvents(now);
  await cancelForDisconnectedShops(shops.filter((shop) => !shop.klaviyoConnection));
  return lanesOf("events", shops);
}

async function cancelForDisconnectedShops(shops: ShopWithReadyEvents[]) {
  if (shops.length === 0) return;
  await cancelQueued({ shopId: shops.map((shop) => shop.id) }, CANCEL_REASONS.disconnected);
}

/** Live events, in each Klaviyo account's events lane. */
export const EVENT_LANES: LaneKindOfWork<ClaimedEvent> = {
  name: "events",
  wakesOn: "event",
  readyLanes,
  work: {
    claim: (shopId, limit, lease, now) => claimReadyEvents(shopId, limit, lease, now),
    send: (event, { shop, owner, clock, pause }) => sendOne(event, shop.connection, owner, clock, pause),
    shopOf: (event) => event.shopId,
  },
};

/**
 * One pass for tests and one-off callers: every ready lane is served one quantum, side by side,
 * and the pass returns when all are over. The running worker (startEventSender) never waits
 * for all lanes: each lane's quantum runs on its own. At least once: the frozen payload goes
 * out with its unique_id, so a resend after a crash is recorded once.
 */
export async function sendDueEvents({
  now = new Date(),
  owner = WORKER_ID,
  batchPerLane = QUANTUM.maxEvents,
} = {}): Promise<DeliveryPass> {
  const turns = await serveReadyLanesOnce(EVENT_LANES, { owner, now, maxPerLane: batchPerLane });
  return {
    sent: turns.reduce((total, turn) => total + turn.sent, 0),
    nextPassInMs: turns.some((turn) => turn.ended === "more") ? 0 : 1000,
  };
}

/** Sends one event and settles it as its answer arrives: the attempt at its own time, a retry counted from the answer. */
async function sendOne(
  event: ClaimedEvent,
  connection: KlaviyoConnection,
  owner: string,
  clock: () => Date,
  pause: PauseLane,
): Promise<boolean> {
  const attemptedAt = clock();
  const send = await sendInLane({
    lane: { key: laneKey(connection.accountId, "events"), kind: "events" },
    connection,
    attempts: event.attempts,
    now: attemptedAt,
    call: (klaviyo) => klaviyo.createEvent(JSON.parse(event.payload!)),
    pause,
  });
  if (send.held) {
    await settleClaimed([event.id], owner, { to: EVENT_STATUS.queued, nextAttemptAt: clock() });
    return false;
  }
  await recordAttempts([event.id], send.outcome, send.decision, attemptedAt);
  const settled = (await settleClaimed([event.id], owner, settlementFor(send.decision, send.answeredAt))) === 1;
  if (send.decision.kind === "dead_letter" && send.decision.refused)
    log.warn("klaviyo refused an event", { eventId: event.id, detail: send.decision.detail });
  return send.decision.kind === "sent" && settled;
}

/**
 * Sends events in this process, each ready lane one quantum at a time on its own; profile
 * updates are sent beside them, in lanes of their own. The same lane quantum under either
 * scheduler: pg-boss jobs on PostgreSQL (startLaneJobs), an in-process runner on SQLite.
 */
export async function startEventSender({ owner = WORKER_ID } = {}) {
  // PostgreSQL: lane activations are pg-boss jobs, shared by every process; SQLite: one process.
  const runners = onPostgres()
    ? [await startLaneJobs([EVENT_LANES, PROFILE_LANES], { owner })]
    : [startLaneRunner(EVENT_LANES, { owner }), startLaneRunner(PROFILE_LANES, { owner })];
  return {
    async stop() {
      // Sends in flight finish (each within Klaviyo's request timeout); anything still held is released.
      await Promise.all(runners.map((runner) => runner.stop()));
      const released = (await releaseLeases(owner)) + (await releaseProfileLeases(owner));
      if (released) log.info("released leases on shutdown", { released });
    },
  };
}
