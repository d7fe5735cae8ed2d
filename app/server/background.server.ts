import { prisma } from "../db.server";
import { applyMigrations } from "../db/migrate.server";
import { ensureDemoShop } from "../demo/demo-mode.server";
import { getEnv } from "../env.server";
import { startReceiptWorker } from "../jobs/receipt-worker.server";
import { log } from "../log.server";

/** Validates the environment (throws EnvError naming the variable) and says how to listen. */
export function prepareProcess() {
  const env = getEnv();
  return {
    demo: env.demo,
    port: env.port,
    // The demo's sign-in shortcut must only ever be reachable from this machine.
    host: env.demo ? "127.0.0.1" : "0.0.0.0",
    appUrl: env.appUrl,
  };
}

/** Brings the database schema up to date; safe when several processes start at once. */
export async function prepareDatabase() {
  const applied = await applyMigrations(getEnv().databaseUrl);
  if (applied.length) log.info("database migrated", { applied });
}

/** Everything that runs beside the web server: seeding the demo store and the workers. */
export async function startBackgroundWork() {
  if (getEnv().demo) await ensureDemoShop();
  const receiptWorker = startReceiptWorker();
  log.info("workers started");
  return {
    async stop() {
      await receiptWorker.stop();
      await prisma.$disconnect();
      log.info("workers stopped");
    },
  };
}
