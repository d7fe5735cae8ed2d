import { describe, expect, it } from "vitest";
import { nextReceiptAttempt, RECEIPT_RETRY_WINDOW_MS, receiptRetryDelayMs } from "./receipt-retry";

const HOUR_MS = 60 * 60_000;

/** Every try a receipt that never succeeds gets, from its arrival until it is given up. */
function schedule(random: () => number) {
  const receivedAt = new Date("2026-12-01T10:00:00Z");
  const tries = [receivedAt];
  for (let attempts = 1; attempts < 1000; attempts++) {
    const next = nextReceiptAttempt({ attempts, receivedAt }, tries[tries.length - 1], random);
    if (!next) break;
    tries.push(next);
  }
  return tries.map((at) => at.getTime() - receivedAt.getTime());
}

describe("receipt retry policy", () => {
  it("tries again within seconds first, then backs off exponentially", () => {
    const middle = () => 0.5;
    expect(receiptRetryDelayMs(1, middle)).toBe(7_500);
    expect(receiptRetryDelayMs(2, middle)).toBe(15_000);
    expect(receiptRetryDelayMs(3, middle)).toBe(30_000);
    expect(receiptRetryDelayMs(30, middle)).toBe(22.5 * 60_000);
  });

  it("spreads the tries over Shopify's four-hour window instead of milliseconds, and no further", () => {
    for (const random of [() => 0, () => 0.5, () => 0.999]) {
      const offsets = schedule(random);
      expect(offsets[offsets.length - 1]).toBe(RECEIPT_RETRY_WINDOW_MS);
      expect(offsets.length).toBeGreaterThan(8);
      expect(offsets.length).toBeLessThan(40);
      // Most tries are early; none is more than half an hour after the one before.
      expect(offsets.filter((offset) => offset < HOUR_MS).length).toBeGreaterThan(offsets.length / 3);
      expect(Math.max(...offsets.slice(1).map((offset, index) => offset - offsets[index]))).toBeLessThanOrEqual(
        30 * 60_000,
      );
    }
  });

  it("jitters, so failures that happened together do not come back together", () => {
    const waits = new Set([0.1, 0.4, 0.7, 0.95].map((value) => receiptRetryDelayMs(5, () => value)));
    expect(waits.size).toBe(4);
  });

  it("gives up once the window since arrival is over", () => {
    const receivedAt = new Date("2026-12-01T10:00:00Z");
    expect(nextReceiptAttempt({ attempts: 3, receivedAt }, new Date(receivedAt.getTime() + 4 * HOUR_MS))).toBeNull();
    expect(nextReceiptAttempt({ attempts: 3, receivedAt }, new Date(receivedAt.getTime() + HOUR_MS))).toBeInstanceOf(
      Date,
    );
  });
});
