import PgBoss from "pg-boss";
import { postgresConnection } from "../db/adapter.server";
import { env } from "../env.server";
import { errorSummary, log } from "../log.server";

// One pg-boss per process on PostgreSQL, shared by the lane jobs and the periodic jobs; the last
// user to stop it stops it. pg-boss creates and migrates its own tables at start, in the schema
// Waypost's tables are in when DATABASE_URL names one (so a schema dropped takes them along), else
// in its own "pgboss" schema.
let engine: Promise<PgBoss> | undefined;
let users = 0;

function createEngine() {
  const { connectionString, schema } = postgresConnection(env.databaseUrl);
  const boss = new PgBoss({
    connectionString,
    schema: schema ?? "pgboss",
    max: 4,
    application_name: "waypost-jobs",
    // Expired lane jobs (an owner that died) are failed within this long; the lane itself is free
    // again as soon as its owner's hold runs out, so this only tidies.
    maintenanceIntervalSeconds: 30,
    archiveCompletedAfterSeconds: 60 * 60,
    deleteAfterHours: 24,
  });
  boss.on("error", (error) => log.error("job engine error", { error: errorSummary(error) }));
  return boss.start().then(() => boss);
}

/** The process's pg-boss, started (its schema created or migrated) on first use. */
export function useJobEngine(): Promise<PgBoss> {
  users++;
  engine ??= createEngine();
  return engine;
}

/** Gives the engine back; the last user stops it, once the work it started is over. */
export async function releaseJobEngine() {
  users = Math.max(0, users - 1);
  if (users > 0 || !engine) return;
  const stopping = engine;
  engine = undefined;
  await (await stopping).stop({ graceful: true, wait: true, timeout: 15_000 });
}
