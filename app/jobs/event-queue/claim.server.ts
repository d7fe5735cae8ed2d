import type { KlaviyoConnection, TrackingEvent } from "@prisma/client";
import { prisma } from "../../db.server";
import { chunks } from "./chunks";
import { LIVE_QUEUE, queueOf } from "./ready";
import { at, execute, integer, onPostgres, queryRows, sql } from "../../db/sql.server";

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
  if (onPostgres())
    return queryRows<ClaimedEvent>(sql`
      WITH claimed AS (
        UPDATE "DeliveryReady" SET "leaseOwner" = ${lease.owner}, "dueAt" = ${at(lease.until)}
        WHERE "eventId" IN (
          SELECT "eventId" FROM "DeliveryReady"
          WHERE "shopId" = ${shopId} AND "queue" = ${queue} AND "dueAt" <= ${at(now)}
          ORDER BY "dueAt" LIMIT ${integer(limit)}
          FOR UPDATE SKIP LOCKED)
        RETURNING "eventId")
      SELECT e."id", e."shopId", e."payload", e."attempts"
      FROM claimed JOIN "TrackingEvent" e ON e."id" = claimed."eventId"
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

export type ShopWithReadyEvents = { id: string; klaviyoConnection: KlaviyoConnection | null };

// Discovery starts one shop further round each time, so with more ready shops than one pass
// takes, the ones left out this time come first next time.
let discoveredAfter = "";

/**
 * Shops with at least one live event ready to send, and their Klaviyo connection, up to `limit`,
 * taking turns round every ready shop. Walks the distinct shops of the ready queue one index
 * probe each (a loose index scan), so a shop's backlog of a million costs what one event does.
 */
export async function shopsWithReadyEvents(now: Date, limit = 1000): Promise<ShopWithReadyEvents[]> {
  let ids = await readyShopsAfter(discoveredAfter, now, limit);
  if (ids.length < limit && discoveredAfter !== "")
    ids = [...ids, ...(await readyShopsAfter("", now, limit - ids.length)).filter((id) => id <= discoveredAfter)];
  discoveredAfter = ids.length === limit ? ids[ids.length - 1] : "";
  if (ids.length === 0) return [];
  const shops = (
    await Promise.all(
      chunks(ids).map((slice) =>
        prisma.shop.findMany({ where: { id: { in: slice } }, select: { id: true, klaviyoConnection: true } }),
      ),
    )
  ).flat();
  const byId = new Map(shops.map((shop) => [shop.id, shop]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

// Distinct shops visited per discovery at most, ready or not (those with only later retries).
const MAX_SHOPS_VISITED = 5000;

async function readyShopsAfter(after: string, now: Date, limit: number): Promise<string[]> {
  const rows = await queryRows<{ shopId: string }>(sql`
    WITH RECURSIVE shops ("shopId", "visited") AS (
      SELECT (SELECT MIN("shopId") FROM "DeliveryReady" WHERE "shopId" > ${after}), 1
      UNION ALL
      SELECT (SELECT MIN(r."shopId") FROM "DeliveryReady" r WHERE r."shopId" > shops."shopId"), shops."visited" + 1
      FROM shops WHERE shops."shopId" IS NOT NULL AND shops."visited" < ${integer(MAX_SHOPS_VISITED)})
    SELECT shops."shopId" FROM shops
    WHERE shops."shopId" IS NOT NULL AND EXISTS (
      SELECT 1 FROM "DeliveryReady" r
      WHERE r."shopId" = shops."shopId" AND r."queue" = ${LIVE_QUEUE} AND r."dueAt" <= ${at(now)})
    LIMIT ${integer(limit)}`);
  return rows.map((row) => row.shopId);
}
