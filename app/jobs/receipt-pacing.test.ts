import { describe, expect, it } from "vitest";
import { notifyWork } from "../work-signal.server";
import { paceBesideIngest } from "./receipt-worker.server";

// Beside the web server on one thread (SQLite), processing steps aside while webhooks arrive.
describe("the receipt worker's pace beside the web server", () => {
  it("rests three times as long as a receipt took while webhooks arrive, and not at all once they stop", async () => {
    let now = 1000;
    const rests: number[] = [];
    const { pace, stop } = paceBesideIngest({ clock: () => now, rest: async (ms) => void rests.push(ms) });
    try {
      await pace(4);
      expect(rests).toEqual([]);

      notifyWork("receipt");
      now += 100;
      await pace(4);
      expect(rests).toEqual([12]);

      now += 300;
      await pace(4);
      expect(rests).toEqual([12]);
    } finally {
      stop();
    }
  });
});
