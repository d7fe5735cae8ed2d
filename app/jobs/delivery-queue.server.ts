import type { KlaviyoConnection, TrackingEvent } from "@prisma/client";
import { prisma } from "../db.server";
import { databaseProvider } from "../db/adapter.server";
import { env } from "../env.server";

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

type ClaimStrategy = (shopId: string, backfillId: string | null, limit: number, lease: Lease, now: Date) => Promise<string[]>;

/** PostgreSQL: any number of workers on any number of machines; locked rows are skipped, not waited on. */
const claimWithSkipLocked: ClaimStrategy = async (shopId, backfillId, limit, lease, now) => {
  const rows = await prisma.$queryRaw<Array<{ id: string }>>`
    UPDATE "TrackingEvent"
    SET "status" = 'sending', "leaseOwner" = ${lease.owner},
        "leaseExpiresAt" = (${lease.until.toISOString()}::timestamptz AT TIME ZONE 'UTC')
    WHERE "id" IN (
      SELECT "id" FROM "TrackingEvent"
      WHERE "shopId" = ${shopId} AND "status" = 'queued'
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
    where: { shopId, status: "queued", backfillId, nextAttemptAt: { lte: now } },
    orderBy: { nextAttemptAt: "asc" },
    take: limit,
    select: { id: true },
  });
  for (const ids of chunks(ready.map((event) => event.id))) {
    await prisma.trackingEvent.updateMany({
      where: { id: { in: ids }, status: "queued" },
      data: { status: "sending", leaseOwner: lease.owner, leaseExpiresAt: lease.until },
    });
  }
  const claimed = await prisma.trackingEvent.findMany({
    where: { shopId, status: "sending", leaseOwner: lease.owner, leaseExpiresAt: lease.until, backfillId },
    select: { id: true },
  });
  return claimed.map((event) => event.id);
};

// SQLite allows 999 parameters a statement; a bulk request's 1,000 events go in slices.
const CHUNK = 500;
const chunks = <T>(items: T[]): T[][] => Array.from({ length: Math.ceil(items.length / CHUNK) }, (_, index) => items.slice(index * CHUNK, (index + 1) * CHUNK));

const claimStrategy = (): ClaimStrategy =>
  databaseProvider(env.databaseUrl) === "postgresql" ? claimWithSkipLocked : claimWithCompareAndSwap;

/**
 * Claims up to `limit` of a shop's ready events, oldest first, under `lease`: its live events,
 * or those of one backfill.
 */
export async function claimReadyEvents(shopId: string, limit: number, lease: Lease, now: Date, backfillId: string | null = null): Promise<TrackingEvent[]> {
  if (limit <= 0) return [];
  const ids = await claimStrategy()(shopId, backfillId, limit, lease, now);
  if (ids.length === 0) return [];
  const events = (await Promise.all(chunks(ids).map((slice) => prisma.trackingEvent.findMany({ where: { id: { in: slice } } })))).flat();
  return events.sort((a, b) => (a.nextAttemptAt?.getTime() ?? 0) - (b.nextAttemptAt?.getTime() ?? 0));
}

/** Gives a dead worker's events back to the queue; they are sent again with the same unique_id. */
export async function reclaimExpiredLeases(now: Date): Promise<number> {
  const { count } = await prisma.trackingEvent.updateMany({
    where: { status: "sending", leaseExpiresAt: { lt: now } },
    data: { status: "queued", leaseOwner: null, leaseExpiresAt: null, nextAttemptAt: now },
  });
  return count;
}

/** On shutdown: whatever this worker still holds goes back to the queue at once. */
export async function releaseLeases(owner: string, now = new Date()): Promise<number> {
  const { count } = await prisma.trackingEvent.updateMany({
    where: { status: "sending", leaseOwner: owner },
    data: { status: "queued", leaseOwner: null, leaseExpiresAt: null, nextAttemptAt: now },
  });
  return count;
}

/**
 * Records what became of a claimed event, if this worker still holds it. False means the lease
 * expired and another worker took the event over; its result stands, not this one.
 */
export async function settleClaimedEvent(eventId: string, owner: string, data: Partial<TrackingEvent>): Promise<boolean> {
  const { count } = await prisma.trackingEvent.updateMany({
    where: { id: eventId, status: "sending", leaseOwner: owner },
    data: { leaseOwner: null, leaseExpiresAt: null, ...data },
  });
  return count === 1;
}

/** settleClaimedEvent for a batch (a bulk request): how many this worker still held. */
export async function settleClaimedEvents(eventIds: string[], owner: string, data: Partial<TrackingEvent>): Promise<number> {
  let settled = 0;
  for (const ids of chunks(eventIds)) {
    const { count } = await prisma.trackingEvent.updateMany({
      where: { id: { in: ids }, status: "sending", leaseOwner: owner },
      data: { leaseOwner: null, leaseExpiresAt: null, ...data },
    });
    settled += count;
  }
  return settled;
}

export type ShopWithReadyEvents = { id: string; klaviyoConnection: KlaviyoConnection | null };

/** Shops with at least one live event ready to send, and their Klaviyo connection. */
export function shopsWithReadyEvents(now: Date, limit = 1000): Promise<ShopWithReadyEvents[]> {
  return prisma.shop.findMany({
    where: { trackingEvents: { some: { status: "queued", backfillId: null, nextAttemptAt: { lte: now } } } },
    select: { id: true, klaviyoConnection: true },
    orderBy: { id: "asc" },
    take: limit,
  });
}

/** How much work waits, for the health endpoint and operators. */
export async function queueDepth(now = new Date()) {
  const [ready, scheduled, sending, deadLettered, oldestReady] = await Promise.all([
    prisma.trackingEvent.count({ where: { status: "queued", nextAttemptAt: { lte: now } } }),
    prisma.trackingEvent.count({ where: { status: "queued", nextAttemptAt: { gt: now } } }),
    prisma.trackingEvent.count({ where: { status: "sending" } }),
    prisma.trackingEvent.count({ where: { status: "dead_lettered" } }),
    prisma.trackingEvent.findFirst({ where: { status: "queued", nextAttemptAt: { lte: now } }, orderBy: { nextAttemptAt: "asc" }, select: { nextAttemptAt: true } }),
  ]);
  const oldestReadyAgeSeconds = oldestReady?.nextAttemptAt ? Math.max(0, Math.round((now.getTime() - oldestReady.nextAttemptAt.getTime()) / 1000)) : 0;
  return { ready, scheduled, sending, deadLettered, oldestReadyAgeSeconds };
}
