import { prisma } from "../../db.server";
import { EVENT_STATUS } from "../../tracking/event-status";
import type { Decision } from "../retry-policy";
import { chunks } from "./chunks";
import { at, commitWithoutFlush, executeByDriver, join, onPostgres, queryRows, raw, sql } from "../../db/sql.server";

/** What becomes of a claimed event once its send is over. */
export type Settlement =
  | { to: typeof EVENT_STATUS.sent; attempts: number }
  | { to: typeof EVENT_STATUS.queued; nextAttemptAt: Date; attempts?: number; lastError?: string }
  | { to: typeof EVENT_STATUS.dead_lettered; attempts: number; lastError: string };

function columnsOf(settlement: Settlement) {
  switch (settlement.to) {
    case EVENT_STATUS.sent:
      return {
        status: EVENT_STATUS.sent,
        sentAt: new Date(),
        attempts: settlement.attempts,
        lastError: null,
        nextAttemptAt: null,
      };
    case EVENT_STATUS.queued:
      return {
        status: EVENT_STATUS.queued,
        nextAttemptAt: settlement.nextAttemptAt,
        ...(settlement.attempts === undefined ? {} : { attempts: settlement.attempts }),
        ...(settlement.lastError === undefined ? {} : { lastError: settlement.lastError }),
      };
    case EVENT_STATUS.dead_lettered:
      return {
        status: EVENT_STATUS.dead_lettered,
        attempts: settlement.attempts,
        nextAttemptAt: null,
        lastError: settlement.lastError,
      };
  }
}

/**
 * Records what became of claimed events, for those this worker still holds; returns how many.
 * An event it no longer holds had its lease expire and was taken over: that result stands. A
 * sent or dead-lettered event leaves the ready queue; one to try again is due again when told.
 * The history row is written once, here.
 */
export async function settleClaimed(eventIds: string[], owner: string, settlement: Settlement): Promise<number> {
  const columns = columnsOf(settlement);
  const requeue = settlement.to === EVENT_STATUS.queued ? settlement.nextAttemptAt : undefined;
  let settled = 0;
  for (const ids of chunks(eventIds)) {
    settled += onPostgres()
      ? await settleOnPostgres(ids, owner, columns, requeue)
      : await settleOnSqlite(ids, owner, columns, requeue);
  }
  return settled;
}

type Columns = ReturnType<typeof columnsOf>;

const heldBy = (ids: string[], owner: string) => sql`"eventId" IN (${join(ids)}) AND "leaseOwner" = ${owner}`;

/** The ready rows this owner still holds leave the queue, or are due again at `requeue`. */
const takeBack = (ids: string[], owner: string, requeue: Date | undefined) =>
  requeue
    ? sql`UPDATE "DeliveryReady" SET "leaseOwner" = NULL, "dueAt" = ${at(requeue)} WHERE ${heldBy(ids, owner)} RETURNING "eventId"`
    : sql`DELETE FROM "DeliveryReady" WHERE ${heldBy(ids, owner)} RETURNING "eventId"`;

/**
 * One statement: the ready rows this owner still holds leave (or are due again), and their events
 * change. A settlement lost in a server crash only sends the event again (see commitWithoutFlush).
 */
function settleOnPostgres(ids: string[], owner: string, columns: Columns, requeue: Date | undefined) {
  const assignments = Object.entries(columns).map(
    ([column, value]) => sql`${raw(`"${column}"`)} = ${value instanceof Date ? at(value) : value}`,
  );
  return executeByDriver(sql`
    WITH ${commitWithoutFlush}, owned AS (${takeBack(ids, owner, requeue)})
    UPDATE "TrackingEvent" SET ${join(assignments)} FROM owned CROSS JOIN commit_without_flush
    WHERE "TrackingEvent"."id" = owned."eventId"`);
}

/** SQLite has no writes in a WITH clause: the same two steps in one transaction. */
function settleOnSqlite(ids: string[], owner: string, columns: Columns, requeue: Date | undefined) {
  return prisma.$transaction(async (tx) => {
    const owned = await queryRows<{ eventId: string }>(takeBack(ids, owner, requeue), tx);
    if (owned.length === 0) return 0;
    const { count } = await tx.trackingEvent.updateMany({
      where: { id: { in: owned.map((row) => row.eventId) } },
      data: columns,
    });
    return count;
  });
}

/** What a send's decision (see retry-policy.ts) makes of the events it carried. */
export function settlementFor(decision: Decision, now: Date): Settlement {
  switch (decision.kind) {
    case "sent":
      return { to: EVENT_STATUS.sent, attempts: decision.attempts };
    case "wait_for_lane":
      return {
        to: EVENT_STATUS.queued,
        nextAttemptAt: new Date(now.getTime() + decision.pauseMs),
        lastError: decision.detail,
      };
    case "refresh_then_hold":
      // Held, not claimed while the connection needs a reconnect; they go out after it.
      return { to: EVENT_STATUS.queued, nextAttemptAt: now, lastError: decision.detail };
    case "retry":
      return {
        to: EVENT_STATUS.queued,
        attempts: decision.attempts,
        nextAttemptAt: new Date(now.getTime() + decision.afterMs),
        lastError: decision.detail,
      };
    case "dead_letter":
      return {
        to: EVENT_STATUS.dead_lettered,
        attempts: decision.attempts,
        lastError: decision.refused ? `Klaviyo refused the event: ${decision.detail}` : decision.detail,
      };
  }
}
