import type { TrackingEvent } from "@prisma/client";
import { prisma } from "../../db.server";
import { chunks } from "./chunks";
import { LIVE_QUEUE, queueOf } from "./ready";
import {
  at,
  commitWithoutFlush,
  execute,
  integer,
  onPostgres,
  queryRows,
  queryRowsByDriver,
  sql,
} from "../../db/sql.server";
import { readyShopsOf, type ShopWithReadyWork } from "../ready-shops.server";

/**
 * Claims are leases on ready rows (DeliveryReady), never writes to the history: the claimer's id
 * and, as the row's due time, the end of its lease. A row whose lease ran out is due again, so
 * a dead worker's events are simply claimed by the next one and sent again with the same
 * unique_id. A claim reads one range of (shopId, queue, dueAt): a shop's live events, or one
 * import's, so neither history nor an import's backlog ever slows a live claim.
 */
export interface Lease {
  owner: string;
  until: Date;
}

/** What a sender needs of a claimed event. */
export type ClaimedEvent = Pick<TrackingEvent, "id" | "shopId" | "payload" | "attempts">;

/**
 * Claims up to `limit` of a shop's ready events, oldest first, under `lease`: its live events,
 * or those of one backfill. PostgreSQL: one statement, any number of workers (locked rows are
 * skipped, not waited on); SQLite: one writer, so the UPDATE is the claim.
 */
export async function claimReadyEvents(
  shopId: string,
  limit: number,
  lease: Lease,
  now: Date,
  backfillId: string | null = null,
): Promise<ClaimedEvent[]> {
  if (limit <= 0) return [];
  const queue = queueOf(backfillId);
  // A lease lost in a server crash only sends its events again (see commitWithoutFlush). The ids
  // picked are an array, so the UPDATE finds its rows by primary key however stale the queue's
  // statistics are (an IN subquery was planned as a scan of the whole queue).
  if (onPostgres())
    return queryRowsByDriver<ClaimedEvent>(sql`
      WITH ${commitWithoutFlush},
      claimed AS (
        UPDATE "DeliveryReady" SET "leaseOwner" = ${lease.owner}, "dueAt" = ${at(lease.until)}
        WHERE "eventId" = ANY(ARRAY(
          SELECT "eventId" FROM "DeliveryReady"
          WHERE "shopId" = ${shopId} AND "queue" = ${queue} AND "dueAt" <= ${at(now)}
          ORDER BY "dueAt" LIMIT ${integer(limit)}
          FOR UPDATE SKIP LOCKED))
        RETURNING "eventId")
      SELECT e."id", e."shopId", e."payload", e."attempts"
      FROM claimed JOIN "TrackingEvent" e ON e."id" = claimed."eventId" CROSS JOIN commit_without_flush
      ORDER BY e."nextAttemptAt", e."id"`);
  const claimed = await queryRows<{ eventId: string }>(sql`
    UPDATE "DeliveryReady" SET "leaseOwner" = ${lease.owner}, "dueAt" = ${at(lease.until)}
    WHERE "eventId" IN (
      SELECT "eventId" FROM "DeliveryReady"
      WHERE "shopId" = ${shopId} AND "queue" = ${queue} AND "dueAt" <= ${at(now)}
      ORDER BY "dueAt" LIMIT ${integer(limit)})
    RETURNING "eventId"`);
  const events = await Promise.all(
    chunks(claimed.map((row) => row.eventId)).map((ids) =>
      prisma.trackingEvent.findMany({
        where: { id: { in: ids } },
        select: { id: true, shopId: true, payload: true, attempts: true },
        orderBy: [{ nextAttemptAt: "asc" }, { id: "asc" }],
      }),
    ),
  );
  return events.flat();
}

/** On shutdown: whatever this worker still holds is due again at once, for the next worker. */
export async function releaseLeases(owner: string, now = new Date()): Promise<number> {
  return execute(sql`
    UPDATE "DeliveryReady" SET "leaseOwner" = NULL, "dueAt" = ${at(now)} WHERE "leaseOwner" = ${owner}`);
}

/** How many of a lease's events it still holds (a taken-over event is no longer its). */
export function heldBy(owner: string) {
  return prisma.deliveryReady.count({ where: { leaseOwner: owner } });
}

export type ShopWithReadyEvents = ShopWithReadyWork;

/**
 * Shops with at least one live event ready to send, and their Klaviyo connection, up to
 * `limit`, taking turns round every ready shop (see readyShopsOf).
 */
export const shopsWithReadyEvents = readyShopsOf({
  table: "DeliveryReady",
  // Every shop with ready rows is walked (the index starts with shopId), live or import.
  waiting: sql`1 = 1`,
  ready: (now) => sql`"queue" = ${LIVE_QUEUE} AND "dueAt" <= ${at(now)}`,
});
