import type { DeliveryLane } from "@prisma/client";
import { prisma } from "../db.server";
import { isUniqueViolation } from "../db/errors";
import { at, execute, join, raw, sql, type Sql } from "../db/sql.server";
import { env } from "../env.server";
import type { LaneKind } from "../config/lane-limits";
import { drainedLane, freshLane, pauseLane, returnTokens, takeTokens, type LaneState } from "./rate-lane";

// Every worker process reads and writes the same lane rows, so Klaviyo's limits hold for all of
// them together. Each change is a compare-and-swap on `version`; a lost race simply retries.
const MAX_RACES = 20;

const toState = (row: DeliveryLane): LaneState => ({
  secondTokens: row.secondTokens,
  minuteTokens: row.minuteTokens,
  refilledAt: row.refilledAt.getTime(),
  pausedUntil: row.pausedUntil?.getTime() ?? 0,
});

const toColumns = (state: LaneState) => ({
  secondTokens: state.secondTokens,
  minuteTokens: state.minuteTokens,
  refilledAt: new Date(state.refilledAt),
  pausedUntil: state.pausedUntil ? new Date(state.pausedUntil) : null,
});

type Owned = { ownerId: string | null; ownedUntil: Date | null };

/**
 * Writes a lane's buckets (and its owner, when given) where `guard` holds, in ONE statement.
 * Prisma's updateMany is BEGIN, UPDATE, COMMIT: an owner stopped (SIGSTOP, a stalled VM) between
 * its UPDATE and its COMMIT keeps the lane row locked, and whoever takes the lane over waits on
 * that lock for as long as the owner stays stopped. A lone statement commits on the server
 * whatever becomes of the client after sending it.
 */
function writeLane(key: string, state: LaneState, guard: Sql, owned?: Owned): Promise<number> {
  const values: Record<string, unknown> = { ...toColumns(state), ...owned };
  const assignments = Object.entries(values).map(
    ([column, value]) => sql`${raw(`"${column}"`)} = ${value instanceof Date ? at(value) : value}`,
  );
  return execute(sql`
    UPDATE "DeliveryLane" SET ${join(assignments)}, "version" = "version" + 1
    WHERE "key" = ${key} AND ${guard}`);
}

const atVersion = (version: number) => sql`"version" = ${version}`;

async function changeLane<T>(
  key: string,
  kind: LaneKind,
  now: number,
  change: (state: LaneState) => { state: LaneState; result: T },
): Promise<T> {
  const limit = env.laneLimits[kind];
  for (let race = 0; race < MAX_RACES; race++) {
    const row = await prisma.deliveryLane.findUnique({ where: { key } });
    if (!row) {
      const { state, result } = change(freshLane(limit, now));
      try {
        await prisma.deliveryLane.create({ data: { key, ...toColumns(state) } });
        return result;
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        continue;
      }
    }
    const { state, result } = change(toState(row));
    if ((await writeLane(key, state, atVersion(row.version))) === 1) return result;
  }
  throw new Error(`rate lane ${key} is too contended to update`);
}

/**
 * Tokens count at the moment they are spent, never earlier: a pass that began a while ago
 * (or a test's clock set ahead, which wins) must not spend budget as if it were still then.
 */
const spendingTime = (now: number) => Math.max(now, Date.now());

/** Takes up to `wanted` sends from a lane; `waitMs` says when to ask again if none were granted. */
export function takeFromLane(key: string, kind: LaneKind, wanted: number, passTime = Date.now()) {
  const limit = env.laneLimits[kind];
  const now = spendingTime(passTime);
  return changeLane(key, kind, now, (state) => {
    const taken = takeTokens(state, limit, wanted, now);
    return { state: taken.state, result: { granted: taken.granted, waitMs: taken.waitMs } };
  });
}

export function giveBackToLane(key: string, kind: LaneKind, count: number, passTime = Date.now()) {
  if (count <= 0) return Promise.resolve();
  const limit = env.laneLimits[kind];
  return changeLane(key, kind, spendingTime(passTime), (state) => ({
    state: returnTokens(state, limit, count),
    result: undefined,
  }));
}

/** A 429 for one process is a 429 for all: every worker waits out the Retry-After, counted from `now`, its arrival. */
export function pauseLaneFor(key: string, kind: LaneKind, retryAfterMs: number, now = Date.now()) {
  return changeLane(key, kind, now, (state) => ({ state: pauseLane(state, retryAfterMs, now), result: undefined }));
}

/**
 * Takes a lane for `owner` until `until`, with its buckets: as stored, or drained when the last
 * owner died holding it. Null while another owner holds it. One owner at a time spends a lane,
 * in memory, so a quantum costs two statements here and one in giveLaneBack, not one per probe.
 */
export async function takeLane(key: string, kind: LaneKind, owner: string, now: number, until: number) {
  const row = await prisma.deliveryLane.findUnique({ where: { key } });
  const owned = { ownerId: owner, ownedUntil: new Date(until) };
  if (!row) {
    const state = freshLane(env.laneLimits[kind], now);
    try {
      await prisma.deliveryLane.create({ data: { key, ...toColumns(state), ...owned } });
      return state;
    } catch (error) {
      if (isUniqueViolation(error)) return null;
      throw error;
    }
  }
  if (row.ownerId && row.ownedUntil && row.ownedUntil.getTime() > now) return null;
  const state = row.ownerId ? drainedLane(toState(row), now) : toState(row);
  return (await writeLane(key, state, atVersion(row.version), owned)) === 1 ? state : null;
}

/** Writes the owner's buckets back (a 429's pause at once, so it outlives the owner); `release` gives the lane up. */
export async function saveLane(key: string, owner: string, state: LaneState, { release = false } = {}) {
  await writeLane(key, state, sql`"ownerId" = ${owner}`, release ? { ownerId: null, ownedUntil: null } : undefined);
}
