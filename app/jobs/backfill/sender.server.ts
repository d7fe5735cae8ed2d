import type { KlaviyoConnection } from "@prisma/client";
import { prisma } from "../../db.server";
import { env } from "../../env.server";
import { bulkCreateEventsBody, refusedBulkEvents } from "../../klaviyo/event-payload";
import { EVENT_STATUS } from "../../tracking/event-status";
import { recordAttempts } from "../event-queue/attempts.server";
import { claimReadyEvents, type ClaimedEvent } from "../event-queue/claim.server";
import { settleClaimed, settlementFor } from "../event-queue/settle.server";
import { sendInLane } from "../lane-send.server";
import { giveBackToLane, takeFromLane } from "../lane-store.server";
import { lanesByAccount, takingTurns } from "../lanes";

// Klaviyo's cap per Bulk Create Events request.
export const BULK_EVENTS_PER_REQUEST = 1000;
const IDLE_POLL_MS = 1000;

const inTurn = takingTurns();

/**
 * Sends running backfills' events through Klaviyo's Bulk Create Events endpoint, up to 1,000
 * per request, in each account's bulk lane: live events have the events lane to themselves,
 * so an import never slows them. One request carries one shop's events, sent with that shop's
 * own credential; the backfills on one account take turns.
 */
export async function sendBackfillEvents({
  owner,
  now = new Date(),
}: {
  owner: string;
  now?: Date;
}): Promise<{ sent: number; nextPassInMs: number }> {
  const running = await prisma.backfill.findMany({
    where: { status: "running", shop: { klaviyoConnection: { status: "connected" } } },
    select: { id: true, shopId: true, shop: { select: { klaviyoConnection: true } } },
    orderBy: { startedAt: "asc" },
  });
  const backfills = running.map((backfill) => ({
    backfillId: backfill.id,
    shopId: backfill.shopId,
    connection: backfill.shop.klaviyoConnection!,
  }));
  const lease = { owner, until: new Date(now.getTime() + env.workerLeaseMs) };
  const results = await Promise.all(
    lanesByAccount(backfills, "bulk", (backfill) => backfill.connection.accountId).map(async ({ key, members }) => {
      let sent = 0;
      let waitMs = IDLE_POLL_MS;
      for (const backfill of inTurn(members)) {
        const { granted, waitMs: laneWait } = await takeFromLane(key, "bulk", 1, now.getTime());
        if (granted === 0) return { sent, waitMs: laneWait };
        const events = await claimReadyEvents(
          backfill.shopId,
          BULK_EVENTS_PER_REQUEST,
          lease,
          now,
          backfill.backfillId,
        );
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
  return {
    sent: results.reduce((total, result) => total + result.sent, 0),
    nextPassInMs: Math.min(IDLE_POLL_MS, ...results.map((result) => result.waitMs)),
  };
}

async function sendBatch(
  events: ClaimedEvent[],
  connection: KlaviyoConnection,
  lane: string,
  owner: string,
  now: Date,
): Promise<number> {
  const ids = events.map((event) => event.id);
  const { body, sources } = bulkCreateEventsBody(events.map((event) => JSON.parse(event.payload!)));
  // Events in one request share their fate, and so their attempt count.
  const send = await sendInLane({
    lane: { key: lane, kind: "bulk" },
    connection,
    attempts: Math.max(...events.map((event) => event.attempts)),
    now,
    call: (klaviyo) => klaviyo.bulkCreateEvents(body),
  });
  if (send.held) return settleClaimed(ids, owner, { to: EVENT_STATUS.queued, nextAttemptAt: now }).then(() => 0);

  const { outcome, decision, answeredAt } = send;
  if (!outcome.ok && outcome.kind === "invalid" && events.length > 1) {
    // Klaviyo takes a job whole or not at all. When it names the events it refused, only those
    // are dead letters; the rest go again at once, without them, spending no attempt.
    const refusedIds = refusedBulkEvents(outcome.detail, sources).map((index) => ids[index]);
    if (refusedIds.length) {
      const refused = { kind: "dead_letter", attempts: 1, refused: true, detail: outcome.detail } as const;
      await recordAttempts(refusedIds, outcome, refused, now);
      await settleClaimed(refusedIds, owner, settlementFor(refused, answeredAt));
      await settleClaimed(
        ids.filter((id) => !refusedIds.includes(id)),
        owner,
        { to: EVENT_STATUS.queued, nextAttemptAt: now },
      );
      return 0;
    }
  }
  await recordAttempts(ids, outcome, decision, now);
  const settled = await settleClaimed(ids, owner, settlementFor(decision, answeredAt));
  return decision.kind === "sent" ? settled : 0;
}
