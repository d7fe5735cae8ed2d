import type { LaneLimit } from "../config/lane-limits";

/**
 * Rate lanes: one per Klaviyo account and endpoint class. Each lane is two token buckets, one
 * for Klaviyo's one-second window and one for its one-minute window. Pure: the state and the
 * time are passed in, so every worker process can share one lane through the database.
 */
export interface LaneState {
  secondTokens: number;
  minuteTokens: number;
  refilledAt: number;
  pausedUntil: number;
}

interface Bucket {
  capacity: number;
  perMs: number;
}

/**
 * A bucket of capacity C refilling at r lets at most C + r·W through in any window of length W,
 * wherever that window starts. Klaviyo counts windows we cannot see, so C + r·W is set to the
 * limit: a small burst allowance, the rest as steady refill.
 */
export function bucketsFor(limit: LaneLimit): { second: Bucket; minute: Bucket } {
  const shape = (max: number, windowMs: number, burstShare: number): Bucket => {
    const capacity = Math.max(1, Math.floor(max * burstShare));
    return { capacity, perMs: Math.max(max - capacity, 1) / windowMs };
  };
  return { second: shape(limit.perSecond, 1000, 0.2), minute: shape(limit.perMinute, 60_000, 0.1) };
}

/** A lane seen for the first time: both buckets full. */
export function freshLane(limit: LaneLimit, now: number): LaneState {
  const { second, minute } = bucketsFor(limit);
  return { secondTokens: second.capacity, minuteTokens: minute.capacity, refilledAt: now, pausedUntil: 0 };
}

/**
 * A lane taken over from an owner that died holding it: what that owner spent was never written
 * back, so the buckets start empty and refill from now (a pause still stands).
 */
export function drainedLane(state: LaneState, now: number): LaneState {
  return { ...state, secondTokens: 0, minuteTokens: 0, refilledAt: Math.max(state.refilledAt, now) };
}

function refill(state: LaneState, limit: LaneLimit, now: number): LaneState {
  const { second, minute } = bucketsFor(limit);
  const elapsed = Math.max(0, now - state.refilledAt);
  return {
    ...state,
    secondTokens: Math.min(second.capacity, state.secondTokens + elapsed * second.perMs),
    minuteTokens: Math.min(minute.capacity, state.minuteTokens + elapsed * minute.perMs),
    // Workers share the lane with slightly different clocks and pass start times: one that is
    // behind refills nothing and must not move refilledAt back, or the next worker would be
    // refilled for the same interval twice.
    refilledAt: Math.max(state.refilledAt, now),
  };
}

/**
 * Takes up to `wanted` sends from the lane. Returns the new state, how many were granted, and,
 * when none were, how long until one can be (a pause from Klaviyo counts).
 */
export function takeTokens(state: LaneState, limit: LaneLimit, wanted: number, now: number) {
  if (state.pausedUntil > now) return { state, granted: 0, waitMs: state.pausedUntil - now };
  const full = refill(state, limit, now);
  const granted = Math.max(0, Math.min(wanted, Math.floor(full.secondTokens), Math.floor(full.minuteTokens)));
  const next = { ...full, secondTokens: full.secondTokens - granted, minuteTokens: full.minuteTokens - granted };
  return { state: next, granted, waitMs: granted > 0 ? 0 : waitForOneToken(next, limit) };
}

/** Gives back sends that were granted but not used (less work was ready than hoped). */
export function returnTokens(state: LaneState, limit: LaneLimit, count: number): LaneState {
  const { second, minute } = bucketsFor(limit);
  return {
    ...state,
    secondTokens: Math.min(second.capacity, state.secondTokens + count),
    minuteTokens: Math.min(minute.capacity, state.minuteTokens + count),
  };
}

/** Klaviyo said 429: this lane, and only this lane, waits as long as it was told. */
export function pauseLane(state: LaneState, retryAfterMs: number, now: number): LaneState {
  return { ...state, pausedUntil: Math.max(state.pausedUntil, now + retryAfterMs) };
}

function waitForOneToken(state: LaneState, limit: LaneLimit): number {
  const { second, minute } = bucketsFor(limit);
  const waits = [(1 - state.secondTokens) / second.perMs, (1 - state.minuteTokens) / minute.perMs];
  return Math.max(1, Math.ceil(Math.max(...waits)));
}

/**
 * The order to serve work in: one item from each group in turn, so a shop with a huge backlog
 * gets one turn per round like everyone else. Items keep their order within a group.
 */
export function roundRobin<T>(items: T[], groupOf: (item: T) => string): T[] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = groupOf(item);
    groups.set(key, [...(groups.get(key) ?? []), item]);
  }
  const queues = [...groups.values()];
  const ordered: T[] = [];
  for (let round = 0; ordered.length < items.length; round++) {
    for (const queue of queues) if (round < queue.length) ordered.push(queue[round]);
  }
  return ordered;
}

/** Splits `total` sends among `count` takers as evenly as possible, earlier takers first. */
export function fairShares(total: number, count: number): number[] {
  return Array.from({ length: count }, (_, index) => Math.floor(total / count) + (index < total % count ? 1 : 0));
}
