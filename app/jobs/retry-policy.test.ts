import { describe, expect, it } from "vitest";
import { attemptOutcome, retryDelayMs } from "./retry-policy";

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

describe("attemptOutcome", () => {
  it("logs what Klaviyo's answer meant for the event", () => {
    const failure = (kind: string, status: number) => ({ ok: false, kind, status, detail: "x" }) as never;
    expect(attemptOutcome({ ok: true, status: 202, data: undefined }, 1)).toBe("sent");
    expect(attemptOutcome(failure("rate_limited", 429), 1)).toBe("rate_limited");
    expect(attemptOutcome(failure("unauthorized", 401), 1)).toBe("unauthorized");
    expect(attemptOutcome(failure("invalid", 400), 1)).toBe("failed");
    expect(attemptOutcome(failure("server_error", 503), 1)).toBe("retry");
    expect(attemptOutcome(failure("network", 0), 8)).toBe("failed");
  });
});
