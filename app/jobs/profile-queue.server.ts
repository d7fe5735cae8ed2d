import type { CustomerProfile } from "@prisma/client";
import { at, execute, integer, join, onPostgres, queryRows, raw, sql } from "../db/sql.server";
import type { Lease } from "./event-queue/claim.server";
import { readyShopsOf } from "./ready-shops.server";

/** Where a customer's profile update stands. */
export const PROFILE_STATUS = { queued: "queued", synced: "synced", failed: "failed" } as const;

/** What a sender needs of a claimed profile update: `attributes` is the change it sends. */
export type ClaimedProfile = Pick<CustomerProfile, "id" | "shopId" | "attributes" | "attempts">;

const queued = sql`"status" = ${PROFILE_STATUS.queued}`;
// Due, and not out with a sender: a change queued during a send waits for that send's answer.
const dueAt = (now: Date) =>
  sql`"nextAttemptAt" <= ${at(now)} AND ("leasedUntil" IS NULL OR "leasedUntil" <= ${at(now)})`;

/**
 * Claims up to `limit` of a shop's due profile updates, oldest first, under `lease`: one
 * statement on both databases (PostgreSQL skips rows another worker is locking). A lease that
 * ran out is claimed again, so a dead worker's updates are sent by the next.
 */
export function claimDueProfiles(shopId: string, limit: number, lease: Lease, now: Date): Promise<ClaimedProfile[]> {
  if (limit <= 0) return Promise.resolve([]);
  return queryRows<ClaimedProfile>(sql`
    UPDATE "CustomerProfile" SET "leaseOwner" = ${lease.owner}, "leasedUntil" = ${at(lease.until)}
    WHERE "id" IN (
      SELECT "id" FROM "CustomerProfile"
      WHERE ${queued} AND "shopId" = ${shopId} AND ${dueAt(now)}
      ORDER BY "nextAttemptAt" LIMIT ${integer(limit)}${raw(onPostgres() ? " FOR UPDATE SKIP LOCKED" : "")})
    RETURNING "id", "shopId", "attributes", "attempts"`);
}

/** What becomes of a profile update once its send is over. */
export type ProfileSettlement =
  | { to: typeof PROFILE_STATUS.synced; klaviyoProfileId?: string }
  | { to: typeof PROFILE_STATUS.queued; nextAttemptAt: Date; attempts?: number; lastError?: string }
  | { to: typeof PROFILE_STATUS.failed; attempts: number; lastError: string };

function columnsOf(settlement: ProfileSettlement, sent: ClaimedProfile, now: Date): Record<string, unknown> {
  switch (settlement.to) {
    case PROFILE_STATUS.synced:
      return {
        status: settlement.to,
        sentAttributes: sent.attributes,
        syncedAt: now,
        attempts: 0,
        lastError: null,
        ...(settlement.klaviyoProfileId ? { klaviyoProfileId: settlement.klaviyoProfileId } : {}),
      };
    case PROFILE_STATUS.queued:
      return {
        status: settlement.to,
        nextAttemptAt: settlement.nextAttemptAt,
        ...(settlement.attempts === undefined ? {} : { attempts: settlement.attempts }),
        ...(settlement.lastError === undefined ? {} : { lastError: settlement.lastError }),
      };
    case PROFILE_STATUS.failed:
      return { status: settlement.to, attempts: settlement.attempts, lastError: settlement.lastError };
  }
}

const assignments = (columns: Record<string, unknown>) =>
  join(
    Object.entries(columns).map(
      ([column, value]) => sql`${raw(`"${column}"`)} = ${value instanceof Date ? at(value) : value}`,
    ),
  );

/**
 * Records what became of a claimed update, if this owner still holds it; returns whether it
 * counted. A lease taken over by another worker is refused. When a newer change was queued
 * while this one was out, the result is not the newer one's: the lease is given back and the
 * newer change goes next, from its first attempt.
 */
export async function settleProfile(
  profile: ClaimedProfile,
  owner: string,
  settlement: ProfileSettlement,
  now = new Date(),
): Promise<boolean> {
  const released = { leaseOwner: null, leasedUntil: null, updatedAt: now };
  const held = sql`"id" = ${profile.id} AND "leaseOwner" = ${owner}`;
  const settled = await execute(sql`
    UPDATE "CustomerProfile" SET ${assignments({ ...columnsOf(settlement, profile, now), ...released })}
    WHERE ${held} AND "attributes" = ${profile.attributes}`);
  if (settled === 1) return true;
  await execute(sql`UPDATE "CustomerProfile" SET ${assignments(released)} WHERE ${held}`);
  return false;
}

/** Puts off the due updates of shops that cannot be sent for now (not connected, or waiting for a reconnect). */
export function putOffProfiles(shopIds: string[], until: Date, now: Date): Promise<number> {
  if (shopIds.length === 0) return Promise.resolve(0);
  return execute(sql`
    UPDATE "CustomerProfile" SET "nextAttemptAt" = ${at(until)}
    WHERE ${queued} AND "shopId" IN (${join(shopIds)}) AND ${dueAt(now)}`);
}

/** On shutdown: whatever this worker still holds is due again at once, for the next worker. */
export function releaseProfileLeases(owner: string): Promise<number> {
  return execute(sql`
    UPDATE "CustomerProfile" SET "leaseOwner" = NULL, "leasedUntil" = NULL WHERE "leaseOwner" = ${owner}`);
}

/** Shops with a profile update due, and their Klaviyo connection, taking turns (see readyShopsOf). */
export const shopsWithDueProfiles = readyShopsOf({
  table: "CustomerProfile",
  waiting: queued,
  ready: dueAt,
});
