import { beforeEach, describe, expect, it } from "vitest";
import { resetDatabase } from "../../e2e/support/integration";
import { prisma } from "../db.server";
import { runDueJobs } from "./scheduler.server";

beforeEach(resetDatabase);

describe("scheduler", () => {
  it("fires a periodic job once per slot however many processes tick at the same moment", async () => {
    let runs = 0;
    const job = { name: "count-runs", everyMs: 60_000, run: async () => void runs++ };
    const at = new Date("2026-11-24T10:00:30Z");
    const ticks = await Promise.all(["w1", "w2", "w3"].map((owner) => runDueJobs([job], { owner, now: at })));
    expect(runs).toBe(1);
    expect(ticks.flat()).toEqual(["count-runs"]);

    await Promise.all(["w1", "w2"].map((owner) => runDueJobs([job], { owner, now: new Date("2026-11-24T10:00:59Z") })));
    expect(runs).toBe(1);
    await Promise.all(
      ["w1", "w2", "w3"].map((owner) => runDueJobs([job], { owner, now: new Date("2026-11-24T10:01:00Z") })),
    );
    expect(runs).toBe(2);
    const row = await prisma.scheduledJob.findUniqueOrThrow({ where: { name: "count-runs" } });
    expect(row.runAt.toISOString()).toBe("2026-11-24T10:02:00.000Z");
    expect(row.lastError).toBeNull();
  });
});
