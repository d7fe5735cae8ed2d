import { describe, expect, it } from "vitest";
import {
  bucketsFor,
  drainedLane,
  fairShares,
  freshLane,
  pauseLane,
  returnTokens,
  roundRobin,
  takeTokens,
  type LaneState,
} from "./rate-lane";
import type { LaneLimit } from "../config/lane-limits";

/** Drives a lane with a deterministic clock: asks for `wanted` every `stepMs`, records sends. */
function simulate(limit: LaneLimit, { stepMs, untilMs, wanted }: { stepMs: number; untilMs: number; wanted: number }) {
  let state = freshLane(limit, 0);
  const sent: number[] = [];
  for (let now = 0; now < untilMs; now += stepMs) {
    const take = takeTokens(state, limit, wanted, now);
    state = take.state;
    for (let index = 0; index < take.granted; index++) sent.push(now);
  }
  return sent;
}

const mostInAnyWindow = (sent: number[], windowMs: number) =>
  Math.max(0, ...sent.map((start) => sent.filter((time) => time >= start && time < start + windowMs).length));

describe("rate lane buckets", () => {
  it("never lets more than the per-second limit through in any second, wherever the second starts", () => {
    const sent = simulate({ perSecond: 50, perMinute: 100_000 }, { stepMs: 7, untilMs: 10_000, wanted: 100 });
    expect(mostInAnyWindow(sent, 1000)).toBeLessThanOrEqual(50);
    // …and still uses most of it: 80 % of the limit as steady refill, plus the first burst.
    expect(sent.length).toBeGreaterThanOrEqual(50 * 10 * 0.8);
  });

  it("never lets more than the per-minute limit through in any minute", () => {
    const sent = simulate({ perSecond: 100, perMinute: 600 }, { stepMs: 50, untilMs: 180_000, wanted: 100 });
    expect(mostInAnyWindow(sent, 60_000)).toBeLessThanOrEqual(600);
    expect(sent.length).toBeGreaterThanOrEqual(3 * 600 * 0.9);
  });

  it("holds the limit when workers with clocks up to 300 ms apart share one lane", () => {
    const limit = { perSecond: 40, perMinute: 100_000 };
    let state = freshLane(limit, 0);
    const sent: number[] = [];
    // Three workers take in turn, each with its own view of the time (its pass started earlier).
    for (let tick = 0; tick < 1000; tick++) {
      const now = tick * 10 - [0, 300, 150][tick % 3];
      const take = takeTokens(state, limit, 25, now);
      state = take.state;
      for (let index = 0; index < take.granted; index++) sent.push(tick * 10);
    }
    // Sends counted when they really happen: only the skew itself may add to a window.
    expect(mostInAnyWindow(sent, 1000)).toBeLessThanOrEqual(40 + Math.ceil(0.3 * 32));
    expect(mostInAnyWindow(sent, 1300)).toBeLessThanOrEqual(40 + Math.ceil(0.3 * 32));
  });

  it("grants whole sends only, and says how long until the next one", () => {
    const limit = { perSecond: 10, perMinute: 1000 };
    const first = takeTokens(freshLane(limit, 0), limit, 5, 0);
    expect(first.granted).toBe(bucketsFor(limit).second.capacity);
    expect(first.granted).toBe(2);
    const empty = takeTokens(first.state, limit, 5, 0);
    expect(empty.granted).toBe(0);
    // 8 more per second refill: one send every 125 ms.
    expect(empty.waitMs).toBe(125);
    expect(takeTokens(empty.state, limit, 5, 125).granted).toBe(1);
  });

  it("takes back unused sends, never above a bucket's capacity", () => {
    const limit = { perSecond: 10, perMinute: 1000 };
    const taken = takeTokens(freshLane(limit, 0), limit, 2, 0).state;
    const returned = returnTokens(taken, limit, 5);
    expect(returned.secondTokens).toBe(2);
  });

  it("pauses for exactly the Retry-After it was given, and a shorter pause never shortens it", () => {
    const limit = { perSecond: 100, perMinute: 1000 };
    let state: LaneState = freshLane(limit, 0);
    state = pauseLane(state, 30_000, 1_000);
    state = pauseLane(state, 5_000, 2_000);
    expect(takeTokens(state, limit, 1, 2_000)).toMatchObject({ granted: 0, waitMs: 29_000 });
    expect(takeTokens(state, limit, 1, 30_999)).toMatchObject({ granted: 0, waitMs: 1 });
    expect(takeTokens(state, limit, 1, 31_000).granted).toBe(1);
  });
});

describe("fair order", () => {
  it("serves one item per shop in turn, so a big backlog cannot starve a small shop", () => {
    const backlog = Array.from({ length: 5 }, (_, index) => ({ shop: "big", id: `b${index}` }));
    const small = [{ shop: "small", id: "s0" }];
    const order = roundRobin([...backlog, ...small], (item) => item.shop).map((item) => item.id);
    expect(order).toEqual(["b0", "s0", "b1", "b2", "b3", "b4"]);
  });

  it("splits a lane's sends evenly among its shops", () => {
    expect(fairShares(10, 3)).toEqual([4, 3, 3]);
    expect(fairShares(2, 4)).toEqual([1, 1, 0, 0]);
    expect(fairShares(0, 2)).toEqual([0, 0]);
  });
});

describe("a lane taken over from an owner that died holding it", () => {
  it("starts empty and refills from the takeover, keeping a pause", () => {
    const limit = { perSecond: 10, perMinute: 600 };
    const state = drainedLane({ ...freshLane(limit, 0), pausedUntil: 5000 }, 1000);
    expect(state).toMatchObject({ secondTokens: 0, minuteTokens: 0, refilledAt: 1000, pausedUntil: 5000 });
    expect(takeTokens(state, limit, 5, 4000).granted).toBe(0);
    expect(takeTokens(state, limit, 5, 5000).granted).toBeGreaterThan(0);
  });
});
