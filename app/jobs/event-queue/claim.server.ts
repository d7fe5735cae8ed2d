import type { KlaviyoConnection, TrackingEvent } from "@prisma/client";
import { prisma } from "../../db.server";
import { databaseProvider } from "../../db/adapter.server";
import { env } from "../../env.server";
import { EVENT_STATUS } from "../../tracking/event-status";
import { chunks } from "./chunks";

/**
 * The delivery queue is the TrackingEvent table itself: what waits to be sent and what the
 * merchant sees in Activity. A worker claims ready events under a lease (status sending, its
 * id, an expiry); an expired lease means the worker died, and the event goes back to the queue.
 * Claiming reads the index (shopId, status, backfillId, nextAttemptAt), so neither history nor a
 * backfill's backlog slows a live claim down; `backfillId` null means live events.
 */
export interface Lease {
  owner: string;
  until: Date;
}

type ClaimStrategy = (
  shopId: string,
  backfillId: string | null,
  limit: number,
  lease: Lease,
  now: Date,
) => Promise<string[]>;

/** PostgreSQL: any number of workers on any number of machines; locked rows are skipped, not waited on. */
const claimWithSkipLocked: ClaimStrategy = async (shopId, backfillId, limit, lease, now) => {
  const rows = await prisma.$queryRaw<Array<{ id: string }>>`
    UPDATE "TrackingEvent"
    SET "status" = ${EVENT_STATUS.sending}, "leaseOwner" = ${lease.owner},
        "leaseExpiresAt" = (${lease.until.toISOString()}::timestamptz AT TIME ZONE 'UTC')
    WHERE "id" IN (
      SELECT "id" FROM "TrackingEvent"
      WHERE "shopId" = ${shopId} AND "status" = ${EVENT_STATUS.queued}
        AND "backfillId" IS NOT DISTINCT FROM ${backfillId}
        AND "nextAttemptAt" <= (${now.toISOString()}::timestamptz AT TIME ZONE 'UTC')
      ORDER BY "nextAttemptAt"
      LIMIT ${limit}::int
      FOR UPDATE SKIP LOCKED
    )
    RETURNING "id"`;
  return rows.map((row) => row.id);
};

/** SQLite: one writer at a time, so a compare-and-swap on status is a claim. */
const claimWithCompareAndSwap: ClaimStrategy = async (shopId, backfillId, limit, lease, now) => {
  const ready = await prisma.trackingEvent.findMany({
    where: { shopId, status: EVENT_STATUS.queued, backfillId, nextAttemptAt: { lte: now } },
    orderBy: { nextAttemptAt: "asc" },
    take: limit,
    select: { id: true },
  });
  for (const ids of chunks(ready.map((event) => event.id))) {
    await prisma.trackingEvent.updateMany({
      where: { id: { in: ids }, status: EVENT_STATUS.queued },
      data: { status: EVENT_STATUS.sending, leaseOwner: lease.owner, leaseExpiresAt: lease.until },
    });
  }
  const claimed = await prisma.trackingEvent.findMany({
    where: { shopId, status: EVENT_STATUS.sending, leaseOwner: lease.owner, leaseExpiresAt: lease.until, backfillId },
    select: { id: true },
  });
  return claimed.map((event) => event.id);
};

const claimStrategy = (): ClaimStrategy =>
  databaseProvider(env.databaseUrl) === "postgresql" ? claimWithSkipLocked : claimWithCompareAndSwap;

/**
 * Claims up to `limit` of a shop's ready events, oldest first, under `lease`: its live events,
 * or those of one backfill.
 */
export async function claimReadyEvents(
  shopId: string,
  limit: number,
  lease: Lease,
  now: Date,
  backfillId: string | null = null,
): Promise<TrackingEvent[]> {
  if (limit <= 0) return [];
  const ids = await claimStrategy()(shopId, backfillId, limit, lease, now);
  if (ids.length === 0) return [];
  const events = (
    await Promise.all(chunks(ids).map((slice) => prisma.trackingEvent.findMany({ where: { id: { in: slice } } })))
  ).flat();
  return events.sort((a, b) => (a.nextAttemptAt?.getTime() ?? 0) - (b.nextAttemptAt?.getTime() ?? 0));
}

/** Gives a dead worker's events back to the queue; they are sent again with the same unique_id. */
export async function reclaimExpiredLeases(now: Date): Promise<number> {
  const { count } = await prisma.trackingEvent.updateMany({
    where: { status: EVENT_STATUS.sending, leaseExpiresAt: { lt: now } },
    data: { status: EVENT_STATUS.queued, leaseOwner: null, leaseExpiresAt: null, nextAttemptAt: now },
  });
  return count;
}

/** On shutdown: whatever this worker still holds goes back to the queue at once. */
export async function releaseLeases(owner: string, now = new Date()): Promise<number> {
  const { count } = await prisma.trackingEvent.updateMany({
    where: { status: EVENT_STATUS.sending, leaseOwner: owner },
    data: { status: EVENT_STATUS.queued, leaseOwner: null, leaseExpiresAt: null, nextAttemptAt: now },
  });
  return count;
}

export type ShopWithReadyEvents = { id: string; klaviyoConnection: KlaviyoConnection | null };

/** Shops with at least one live event ready to send, and their Klaviyo connection. */
export function shopsWithReadyEvents(now: Date, limit = 1000): Promise<ShopWithReadyEvents[]> {
  return prisma.shop.findMany({
    where: { trackingEvents: { some: { status: EVENT_STATUS.queued, backfillId: null, nextAttemptAt: { lte: now } } } },
    select: { id: true, klaviyoConnection: true },
    orderBy: { id: "asc" },
    take: limit,
  });
}
