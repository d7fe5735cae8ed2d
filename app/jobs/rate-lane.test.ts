import { describe, expect, it } from "vitest";
import { RateLane, roundRobin } from "./rate-lane";

describe("RateLane", () => {
  it("lets the per-second limit through, then says how long to wait", () => {
    const lane = new RateLane({ perSecond: 3, perMinute: 100 });
    for (const at of [0, 10, 20]) {
      expect(lane.waitMs(at)).toBe(0);
      lane.take(at);
    }
    expect(lane.waitMs(30)).toBe(970);
    expect(lane.waitMs(1000)).toBe(0);
  });

  it("never allows more than the limit in any sliding second", () => {
    const lane = new RateLane({ perSecond: 5, perMinute: 1000 });
    const sent: number[] = [];
    for (let now = 0; now < 5000; now += 7) {
      if (lane.waitMs(now) === 0) {
        lane.take(now);
        sent.push(now);
      }
    }
    for (const start of sent) expect(sent.filter((time) => time >= start && time < start + 1000).length).toBeLessThanOrEqual(5);
    expect(sent.length).toBeGreaterThanOrEqual(25);
  });

  it("enforces the per-minute limit too", () => {
    const lane = new RateLane({ perSecond: 100, perMinute: 4 });
    for (const at of [0, 100, 200, 300]) lane.take(at);
    expect(lane.waitMs(400)).toBe(59_600);
    expect(lane.waitMs(59_999)).toBe(1);
    expect(lane.waitMs(60_000)).toBe(0);
  });

  it("pauses for exactly the Retry-After it was given, and a shorter pause never shortens it", () => {
    const lane = new RateLane({ perSecond: 100, perMinute: 1000 });
    lane.pause(30_000, 1_000);
    lane.pause(5_000, 2_000);
    expect(lane.waitMs(2_000)).toBe(29_000);
    expect(lane.waitMs(31_000)).toBe(0);
  });
});

describe("roundRobin", () => {
  it("serves one item per lane in turn, so a big backlog cannot starve a small shop", () => {
    const backlog = Array.from({ length: 5 }, (_, index) => ({ lane: "big", id: `b${index}` }));
    const small = [{ lane: "small", id: "s0" }];
    const order = roundRobin([...backlog, ...small], (item) => item.lane).map((item) => item.id);
    expect(order).toEqual(["b0", "s0", "b1", "b2", "b3", "b4"]);
  });
});
