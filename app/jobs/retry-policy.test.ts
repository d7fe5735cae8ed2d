import { describe, expect, it } from "vitest";
import { attemptOutcome, decide, MAX_SEND_ATTEMPTS, retryDelayMs } from "./retry-policy";

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

const failure = (kind: string, status: number, extra: object = {}) =>
  ({ ok: false, kind, status, detail: "x", ...extra }) as never;
const accepted = { ok: true as const, status: 202, data: undefined };

describe("decide: what Klaviyo's answer means, for every sender", () => {
  const decideFor = (outcome: Parameters<typeof decide>[0], attempts = 0, method = "oauth") =>
    decide(outcome, { attempts, method, random: () => 0.5 });

  it("2xx: sent, one attempt spent", () => {
    expect(decideFor(accepted, 2)).toEqual({ kind: "sent", attempts: 3 });
  });

  it("429: the lane waits exactly Retry-After, and no attempt is spent", () => {
    expect(decideFor(failure("rate_limited", 429, { retryAfterMs: 7000 }), 2)).toEqual({
      kind: "wait_for_lane",
      attempts: 2,
      pauseMs: 7000,
      detail: "x",
    });
  });

  it("401: an OAuth token is refreshed first, then held for a reconnect; a private key is held at once; no attempt is spent", () => {
    expect(decideFor(failure("unauthorized", 401), 2, "oauth")).toEqual({
      kind: "refresh_then_hold",
      attempts: 2,
      refreshFirst: true,
      detail: "x",
    });
    expect(decideFor(failure("unauthorized", 401), 2, "private_key")).toMatchObject({
      kind: "refresh_then_hold",
      refreshFirst: false,
    });
  });

  it("403: held for a reconnect without a refresh (the token is valid, its access is not)", () => {
    expect(decideFor(failure("forbidden", 403), 0, "oauth")).toEqual({
      kind: "refresh_then_hold",
      attempts: 0,
      refreshFirst: false,
      detail: "x",
    });
  });

  it("400-class: a dead letter at once, refused by Klaviyo", () => {
    expect(decideFor(failure("invalid", 400), 0)).toEqual({
      kind: "dead_letter",
      attempts: 1,
      refused: true,
      detail: "x",
    });
  });

  it("5xx: retried with backoff until the last attempt, then a dead letter", () => {
    expect(decideFor(failure("server_error", 503), 2)).toEqual({
      kind: "retry",
      attempts: 3,
      afterMs: retryDelayMs(3, () => 0.5),
      detail: "x",
    });
    expect(decideFor(failure("server_error", 503), MAX_SEND_ATTEMPTS - 1)).toEqual({
      kind: "dead_letter",
      attempts: MAX_SEND_ATTEMPTS,
      refused: false,
      detail: "x",
    });
  });

  it("timeouts and network errors: retried like a 5xx", () => {
    expect(decideFor(failure("network", 0), 0)).toMatchObject({ kind: "retry", attempts: 1 });
    expect(decideFor(failure("network", 0), MAX_SEND_ATTEMPTS - 1)).toMatchObject({
      kind: "dead_letter",
      refused: false,
    });
  });
});

describe("attemptOutcome", () => {
  it("logs what Klaviyo's answer meant for the event", () => {
    const logged = (outcome: Parameters<typeof decide>[0], attemptsBefore: number) =>
      attemptOutcome(decide(outcome, { attempts: attemptsBefore, method: "oauth" }));
    expect(logged(accepted, 0)).toBe("sent");
    expect(logged(failure("rate_limited", 429, { retryAfterMs: 1000 }), 0)).toBe("rate_limited");
    expect(logged(failure("unauthorized", 401), 0)).toBe("unauthorized");
    expect(logged(failure("invalid", 400), 0)).toBe("failed");
    expect(logged(failure("server_error", 503), 0)).toBe("retry");
    expect(logged(failure("network", 0), 7)).toBe("failed");
  });
});
