import type { KlaviyoConnection, TrackingEvent } from "@prisma/client";
import { prisma } from "../../db.server";
import { env } from "../../env.server";
import { credentialOf } from "../../klaviyo/connection-store.server";
import { bulkCreateEventsBody, refusedBulkEvents } from "../../klaviyo/event-payload";
import { klaviyoApi } from "../../klaviyo/klaviyo-config.server";
import { claimReadyEvents } from "../event-queue/claim.server";
import { EVENT_STATUS } from "../../tracking/event-status";
import { settleClaimed, type Settlement } from "../event-queue/settle.server";
import { attemptRecord, attemptsAfter, settleFailure, usableConnection } from "../event-sender.server";
import { giveBackToLane, laneKey, takeFromLane } from "../lane-store.server";

// Klaviyo's cap per Bulk Create Events request.
export const BULK_EVENTS_PER_REQUEST = 1000;
const IDLE_POLL_MS = 1000;

let rotation = 0;

/**
 * Sends running backfills' events through Klaviyo's Bulk Create Events endpoint, up to 1,000
 * per request, in each account's bulk lane: live events have the events lane to themselves,
 * so an import never slows them. One request carries one shop's events, sent with that shop's
 * own credential; the backfills on one account take turns.
 */
export async function sendBackfillEvents({ owner, now = new Date() }: { owner: string; now?: Date }): Promise<{ sent: number; nextPassInMs: number }> {
  const running = await prisma.backfill.findMany({
    where: { status: "running", shop: { klaviyoConnection: { status: "connected" } } },
    select: { id: true, shopId: true, shop: { select: { klaviyoConnection: true } } },
    orderBy: { startedAt: "asc" },
  });
  const lanes = new Map<string, Array<{ backfillId: string; shopId: string; connection: KlaviyoConnection }>>();
  for (const backfill of running) {
    const connection = backfill.shop.klaviyoConnection!;
    const key = laneKey(connection.accountId, "bulk");
    lanes.set(key, [...(lanes.get(key) ?? []), { backfillId: backfill.id, shopId: backfill.shopId, connection }]);
  }
  const lease = { owner, until: new Date(now.getTime() + env.workerLeaseMs) };
  const results = await Promise.all(
    [...lanes].map(async ([key, backfills]) => {
      const start = rotation++ % backfills.length;
      let sent = 0;
      let waitMs = IDLE_POLL_MS;
      for (const backfill of [...backfills.slice(start), ...backfills.slice(0, start)]) {
        const { granted, waitMs: laneWait } = await takeFromLane(key, "bulk", 1, now.getTime());
        if (granted === 0) return { sent, waitMs: laneWait };
        const events = await claimReadyEvents(backfill.shopId, BULK_EVENTS_PER_REQUEST, lease, now, backfill.backfillId);
        if (events.length === 0) {
          await giveBackToLane(key, "bulk", 1, now.getTime());
          continue;
        }
        sent += await sendBatch(events, backfill.connection, key, owner, now);
        waitMs = 0;
      }
      return { sent, waitMs };
    }),
  );
  return { sent: results.reduce((total, result) => total + result.sent, 0), nextPassInMs: Math.min(IDLE_POLL_MS, ...results.map((result) => result.waitMs)) };
}

async function sendBatch(events: TrackingEvent[], connection: KlaviyoConnection, lane: string, owner: string, now: Date): Promise<number> {
  const ids = events.map((event) => event.id);
  const settleAll = (settlement: Settlement) => settleClaimed(ids, owner, settlement);
  const usable = await usableConnection(connection, now);
  if (!usable) return settleAll({ to: EVENT_STATUS.queued, nextAttemptAt: now }).then(() => 0);

  const { body, sources } = bulkCreateEventsBody(events.map((event) => JSON.parse(event.payload!)));
  const outcome = await klaviyoApi(credentialOf(usable)).request("POST", "/api/event-bulk-create-jobs", body);
  if (!outcome.ok && outcome.kind === "invalid" && events.length > 1) {
    // Klaviyo takes a job whole or not at all. When it names the events it refused, only those
    // are dead letters; the rest go again at once, without them, spending no attempt.
    const refusedIds = refusedBulkEvents(outcome.detail, sources).map((index) => ids[index]);
    if (refusedIds.length) {
      await prisma.deliveryAttempt.createMany({ data: refusedIds.map((id) => attemptRecord(id, outcome, 1, now)) });
      await settleClaimed(refusedIds, owner, { to: EVENT_STATUS.dead_lettered, attempts: 1, lastError: `Klaviyo refused the event: ${outcome.detail}` });
      await settleClaimed(ids.filter((id) => !refusedIds.includes(id)), owner, { to: EVENT_STATUS.queued, nextAttemptAt: now });
      return 0;
    }
  }
  // Events in one request share their fate, and so their attempt count.
  const attempts = attemptsAfter(outcome, Math.max(...events.map((event) => event.attempts)));
  await prisma.deliveryAttempt.createMany({ data: events.map((event) => attemptRecord(event.id, outcome, attempts, now)) });
  if (outcome.ok) {
    return settleAll({ to: EVENT_STATUS.sent, attempts });
  }
  await settleFailure(outcome, { connection: usable, lane: { key: lane, kind: "bulk" }, attempts, now, settle: settleAll });
  return 0;
}
