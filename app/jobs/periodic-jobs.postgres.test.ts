import type PgBoss from "pg-boss";
import { afterAll, describe, expect, it } from "vitest";
import { useJobEngine, releaseJobEngine } from "./job-engine.server";
import { startScheduler } from "./scheduler.server";

// On PostgreSQL the periodic jobs are pg-boss's cron: each job a schedule of its own, kept in
// the database, so every process shares one schedule and each slot is sent once.
const stops: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const stop of stops) await stop();
});

describe("periodic jobs on PostgreSQL", () => {
  it("are pg-boss schedules in UTC at their period, the same for every process that starts them", async () => {
    const jobs = [
      { name: "every-minute", everyMs: 60_000, run: async () => undefined },
      { name: "every-six-hours", everyMs: 6 * 60 * 60_000, run: async () => undefined },
    ];
    for (const owner of ["one", "two"]) {
      const scheduler = await startScheduler(jobs, { owner });
      stops.push(() => scheduler.stop());
    }
    const boss = await useJobEngine();
    stops.push(releaseJobEngine);
    // pg-boss 10 returns each schedule's time zone, which its types leave out.
    const stored = (await boss.getSchedules()) as Array<PgBoss.Schedule & { timezone: string }>;
    const schedules = stored.map(({ name, cron, timezone }) => ({ name, cron, timezone }));
    expect(schedules.sort((a, b) => a.name.localeCompare(b.name))).toEqual([
      { name: "every-minute", cron: "* * * * *", timezone: "UTC" },
      { name: "every-six-hours", cron: "0 */6 * * *", timezone: "UTC" },
    ]);
  });
});
