import { describe, expect, it } from "vitest";
import { notifyWork } from "../work-signal.server";
import { paceBesideIngest } from "./receipt-worker.server";

// Beside the web server on one thread (SQLite), processing steps aside the more the faster webhooks arrive.
describe("the receipt worker's pace beside the web server", () => {
  function pacing() {
    const clock = { now: 1000 };
    const rests: number[] = [];
    const { pace, stop } = paceBesideIngest({ clock: () => clock.now, rest: async (ms) => void rests.push(ms) });
    const arrive = (count: number, everyMs: number) => {
      for (let webhook = 0; webhook < count; webhook++) {
        notifyWork("receipt");
        clock.now += everyMs;
      }
    };
    return { clock, rests, pace, stop, arrive };
  }

  it("rests three times as long as a receipt took while 50 or more arrive a second, and not once they stop", async () => {
    const { clock, rests, pace, stop, arrive } = pacing();
    try {
      await pace(4);
      expect(rests).toEqual([]);

      arrive(150, 5);
      await pace(4);
      expect(rests).toEqual([12]);

      clock.now += 250;
      await pace(4);
      expect(rests).toEqual([12]);
    } finally {
      stop();
    }
  });

  it("rests a fifth of that while 10 arrive a second, so an order's receipt (30 ms) keeps up with them", async () => {
    const { rests, pace, stop, arrive } = pacing();
    try {
      arrive(30, 100);
      await pace(30);
      // Two within the last quarter of a second, 8 a second: 30 ms x 3 x 8 / 50.
      expect(rests[0]).toBeCloseTo(14.4);
      // 30 ms of work and 14 of rest: 22 receipts a second, more than arrive.
      expect(1000 / (30 + rests[0])).toBeGreaterThan(10);
    } finally {
      stop();
    }
  });
});
