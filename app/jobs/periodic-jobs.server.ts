import { errorSummary, log } from "../log.server";
import { releaseJobEngine, useJobEngine } from "./job-engine.server";
import { cronOf } from "./periodic-jobs";
import type { PeriodicJob } from "./scheduler.server";

// A periodic job that runs longer than this is failed by pg-boss, and its next slot runs as usual.
const PERIODIC_EXPIRY_MINUTES = 30;

/**
 * Periodic jobs on PostgreSQL: pg-boss's cron (checked against the database's clock) sends each
 * job once per slot however many processes are up, and one process runs it. A run that fails is
 * logged and kept by pg-boss as a failed job with its error; the next slot runs as usual.
 */
export async function startPeriodicJobs(jobs: PeriodicJob[]) {
  const boss = await useJobEngine();
  const workers: string[] = [];
  for (const job of jobs) {
    await boss.createQueue(job.name, {
      name: job.name,
      policy: "short",
      retryLimit: 0,
      expireInSeconds: PERIODIC_EXPIRY_MINUTES * 60,
    });
    await boss.schedule(job.name, cronOf(job.everyMs), {}, { tz: "UTC" });
    workers.push(
      await boss.work(job.name, { pollingIntervalSeconds: 5 }, async () => {
        try {
          await job.run(new Date());
        } catch (error) {
          log.error("scheduled job failed", { job: job.name, error: errorSummary(error) });
          throw error;
        }
      }),
    );
  }
  return {
    async stop() {
      for (const id of workers) await boss.offWork({ id });
      await releaseJobEngine();
    },
  };
}
