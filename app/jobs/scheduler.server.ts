import { prisma } from "../db.server";
import { isUniqueViolation } from "../db/errors";
import { onPostgres } from "../db/sql.server";
import { errorSummary, log } from "../log.server";
import { startPeriodicJobs } from "./periodic-jobs.server";

export interface PeriodicJob {
  name: string;
  everyMs: number;
  run(now: Date): Promise<unknown>;
}

/** The start of the slot after the one `now` is in: slots are aligned, the same in every process. */
export function nextSlot(now: Date, everyMs: number): Date {
  return new Date((Math.floor(now.getTime() / everyMs) + 1) * everyMs);
}

/**
 * Runs each job whose slot has come, at most once per slot however many processes call this:
 * the process whose compare-and-swap moves runAt to the next slot runs it. A process that dies
 * mid-job loses only that slot; the next one runs as usual. Returns the names it ran.
 */
export async function runDueJobs(
  jobs: PeriodicJob[],
  { owner, now = new Date() }: { owner: string; now?: Date },
): Promise<string[]> {
  const ran: string[] = [];
  for (const job of jobs) {
    await ensureScheduled(job, now);
    const { count } = await prisma.scheduledJob.updateMany({
      where: { name: job.name, runAt: { lte: now } },
      data: { runAt: nextSlot(now, job.everyMs), lastStartedAt: now, lastOwner: owner },
    });
    if (count === 0) continue;
    ran.push(job.name);
    try {
      await job.run(now);
      await prisma.scheduledJob.update({
        where: { name: job.name },
        data: { lastFinishedAt: new Date(), lastError: null },
      });
    } catch (error) {
      const message = errorSummary(error);
      log.error("scheduled job failed", { job: job.name, error: message });
      await prisma.scheduledJob.update({ where: { name: job.name }, data: { lastError: message.slice(0, 2000) } });
    }
  }
  return ran;
}

async function ensureScheduled(job: PeriodicJob, now: Date) {
  if (await prisma.scheduledJob.findUnique({ where: { name: job.name }, select: { name: true } })) return;
  try {
    // A new job runs in the first tick after it is deployed.
    await prisma.scheduledJob.create({ data: { name: job.name, runAt: now } });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
  }
}

/**
 * Runs periodic jobs once per slot across every process: on PostgreSQL with pg-boss's cron
 * (startPeriodicJobs); on SQLite by ticking every `tickMs` here (runDueJobs).
 */
export async function startScheduler(
  jobs: PeriodicJob[],
  { owner, tickMs = 5000 }: { owner: string; tickMs?: number },
) {
  if (onPostgres()) return startPeriodicJobs(jobs);
  let ticking: Promise<unknown> = Promise.resolve();
  const tick = () => {
    ticking = runDueJobs(jobs, { owner }).catch((error) =>
      log.error("scheduler tick failed", { error: errorSummary(error) }),
    );
  };
  const timer = setInterval(tick, tickMs);
  tick();
  return {
    async stop() {
      clearInterval(timer);
      await ticking;
    },
  };
}
