import type { DeliveryLane } from "@prisma/client";
import { prisma } from "../db.server";
import { isUniqueViolation } from "../db/errors";
import { env } from "../env.server";
import type { LaneKind } from "../config/lane-limits";
import { freshLane, pauseLane, returnTokens, takeTokens, type LaneState } from "./rate-lane";

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
    const { count } = await prisma.deliveryLane.updateMany({
      where: { key, version: row.version },
      data: { ...toColumns(state), version: { increment: 1 } },
    });
    if (count === 1) return result;
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

/** A 429 for one process is a 429 for all: every worker waits out the Retry-After. */
export function pauseLaneFor(key: string, kind: LaneKind, retryAfterMs: number, now = Date.now()) {
  return changeLane(key, kind, now, (state) => ({ state: pauseLane(state, retryAfterMs, now), result: undefined }));
}
