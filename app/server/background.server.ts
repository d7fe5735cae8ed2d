import { prisma } from "../db.server";
import { applyMigrations } from "../db/migrate.server";
import { ensureDemoShop } from "../demo/demo-mode.server";
import { getEnv } from "../env.server";
import { scanForDelays } from "../jobs/delay-scan.server";
import { startEventSender } from "../jobs/event-sender.server";
import { startReceiptWorker } from "../jobs/receipt-worker.server";
import { refreshDueConnections } from "../klaviyo/token-refresh.server";
import { log } from "../log.server";

const TOKEN_REFRESH_INTERVAL_MS = 60_000;
const DELAY_SCAN_INTERVAL_MS = 10 * 60_000;

/** Validates the environment (throws EnvError naming the variable) and says how to listen. */
export function prepareProcess() {
  const env = getEnv();
  return {
    demo: env.demo,
    port: env.port,
    // The demo's sign-in shortcut must only ever be reachable from this machine.
    host: env.demo ? "127.0.0.1" : "0.0.0.0",
    appUrl: env.appUrl,
    // The demo brings its own Klaviyo: the local double, on the port after the app's.
    klaviyoDouble: env.demo
      ? { port: env.port + 1, clientId: env.klaviyoClientId, clientSecret: env.klaviyoClientSecret }
      : null,
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
  const eventSender = startEventSender();
  const tokenRefresher = setInterval(() => {
    refreshDueConnections().catch((error) => log.error("token refresh pass failed", { error: String(error) }));
  }, TOKEN_REFRESH_INTERVAL_MS);
  const delayScanner = setInterval(() => {
    scanForDelays().catch((error) => log.error("delay scan failed", { error: String(error) }));
  }, DELAY_SCAN_INTERVAL_MS);
  log.info("workers started");
  return {
    async stop() {
      clearInterval(tokenRefresher);
      clearInterval(delayScanner);
      await receiptWorker.stop();
      await eventSender.stop();
      await prisma.$disconnect();
      log.info("workers stopped");
    },
  };
}
