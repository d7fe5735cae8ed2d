import { describe, expect, it } from "vitest";
import { retryDelayMs } from "./retry-policy";

describe("retryDelayMs", () => {
  it("doubles the ceiling with each attempt", () => {
    const atCeiling = () => 0.999999;
    expect([1, 2, 3, 4].map((attempt) => retryDelayMs(attempt, atCeiling))).toEqual([1999, 3999, 7999, 15999]);
  });

  it("caps the wait at fifteen minutes", () => {
    expect(retryDelayMs(30, () => 0.999999)).toBe(899_999);
  });

  it("spreads retries across the whole window (full jitter)", () => {
    expect(retryDelayMs(3, () => 0)).toBe(0);
    expect(retryDelayMs(3, () => 0.5)).toBe(4000);
  });
});
