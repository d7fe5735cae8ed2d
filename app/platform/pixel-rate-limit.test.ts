import { describe, expect, it } from "vitest";
import { WindowedLimit } from "./pixel-rate-limit";

describe("the pixel's windowed limit", () => {
  it("allows the limit per key in a window, then refuses until the window ends", () => {
    const limit = new WindowedLimit(2, 60_000);
    expect(limit.take("a", 1_000)).toBe(true);
    expect(limit.take("a", 2_000)).toBe(true);
    expect(limit.take("a", 3_000)).toBe(false);
    expect(limit.take("b", 3_000)).toBe(true);
    // Windows are whole minutes of the clock: this one ends at 60 s.
    expect(limit.retryAfterSeconds(3_000)).toBe(57);
    expect(limit.take("a", 61_000)).toBe(true);
  });

  it("checks without counting", () => {
    const limit = new WindowedLimit(1);
    expect(limit.fits("a", 0)).toBe(true);
    expect(limit.fits("a", 0)).toBe(true);
    expect(limit.take("a", 0)).toBe(true);
    expect(limit.fits("a", 0)).toBe(false);
  });

  it("keeps at most maxKeys counts: new keys past it share one", () => {
    const limit = new WindowedLimit(1, 60_000, 2);
    expect(limit.take("a", 0)).toBe(true);
    expect(limit.take("b", 0)).toBe(true);
    expect(limit.take("c", 0)).toBe(true);
    expect(limit.take("d", 0)).toBe(false);
  });
});
