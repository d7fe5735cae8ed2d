import type { KlaviyoConnection, TrackingEvent } from "@prisma/client";
import { prisma } from "../db.server";
import { databaseProvider } from "../db/adapter.server";
import { env } from "../env.server";

/**
 * The delivery queue is the TrackingEvent table itself: what waits to be sent and what the
 * merchant sees in Activity. A worker claims ready events under a lease (status sending, its
 * id, an expiry); an expired lease means the worker died, and the event goes back to the queue.
 * Claiming reads the index (shopId, status, nextAttemptAt), so history never slows it down.
 */
export interface Lease {
  owner: string;
  until: Date;
}

type ClaimStrategy = (shopId: string, limit: number, lease: Lease, now: Date) => Promise<string[]>;

/** PostgreSQL: any number of workers on any number of machines; locked rows are skipped, not waited on. */
const claimWithSkipLocked: ClaimStrategy = async (shopId, limit, lease, now) => {
  const rows = await prisma.$queryRaw<Array<{ id: string }>>`
    UPDATE "TrackingEvent"
    SET "status" = 'sending', "leaseOwner" = ${lease.owner},
        "leaseExpiresAt" = (${lease.until.toISOString()}::timestamptz AT TIME ZONE 'UTC')
    WHERE "id" IN (
      SELECT "id" FROM "TrackingEvent"
      WHERE "shopId" = ${shopId} AND "status" = 'queued'
        AND "nextAttemptAt" <= (${now.toISOString()}::timestamptz AT TIME ZONE 'UTC')
      ORDER BY "nextAttemptAt"
      LIMIT ${limit}::int
      FOR UPDATE SKIP LOCKED
    )
    RETURNING "id"`;
  return rows.map((row) => row.id);
};

/** SQLite: one writer at a time, so a compare-and-swap on status is a claim. */
const claimWithCompareAndSwap: ClaimStrategy = async (shopId, limit, lease, now) => {
  const ready = await prisma.trackingEvent.findMany({
    where: { shopId, status: "queued", nextAttemptAt: { lte: now } },
    orderBy: { nextAttemptAt: "asc" },
    take: limit,
    select: { id: true },
  });
  if (ready.length === 0) return [];
  const ids = ready.map((event) => event.id);
  await prisma.trackingEvent.updateMany({
    where: { id: { in: ids }, status: "queued" },
    data: { status: "sending", leaseOwner: lease.owner, leaseExpiresAt: lease.until },
  });
  const claimed = await prisma.trackingEvent.findMany({
    where: { id: { in: ids }, status: "sending", leaseOwner: lease.owner, leaseExpiresAt: lease.until },
    select: { id: true },
  });
  return claimed.map((event) => event.id);
};

const claimStrategy = (): ClaimStrategy =>
  databaseProvider(env.databaseUrl) === "postgresql" ? claimWithSkipLocked : claimWithCompareAndSwap;

/** Claims up to `limit` of a shop's ready events, oldest first, under `lease`. */
export async function claimReadyEvents(shopId: string, limit: number, lease: Lease, now: Date): Promise<TrackingEvent[]> {
  if (limit <= 0) return [];
  const ids = await claimStrategy()(shopId, limit, lease, now);
  if (ids.length === 0) return [];
  return prisma.trackingEvent.findMany({ where: { id: { in: ids } }, orderBy: { nextAttemptAt: "asc" } });
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

export type ShopWithReadyEvents = { id: string; klaviyoConnection: KlaviyoConnection | null };

/** Shops with at least one event ready to send, and their Klaviyo connection. */
export function shopsWithReadyEvents(now: Date, limit = 1000): Promise<ShopWithReadyEvents[]> {
  return prisma.shop.findMany({
    where: { trackingEvents: { some: { status: "queued", nextAttemptAt: { lte: now } } } },
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
