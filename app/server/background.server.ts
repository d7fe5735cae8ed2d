import { prisma } from "../db.server";
import { databaseProvider } from "../db/adapter.server";
import { applyMigrations } from "../db/migrate.server";
import { DEMO_STORE, ensureDemoShop } from "../demo/demo-mode.server";
import { loadDemoSecrets } from "../demo/demo-secrets.server";
import { bootEnv, getEnv } from "../env.server";
import { startBackfillWorker } from "../jobs/backfill/worker.server";
import { startConsentWorker } from "../jobs/consent/consent-apply.server";
import { CONSENT_POLL_EVERY_MS, pollConsentChanges } from "../jobs/consent/consent-poll.server";
import { scanForDelays } from "../jobs/delay-scan.server";
import { startEventSender, WORKER_ID } from "../jobs/event-sender.server";
import { pruneHistory } from "../jobs/history-pruning.server";
import { refreshStoreCreditOnProfiles } from "../jobs/profile-sync.server";
import { reconcileShops } from "../jobs/reconciliation.server";
import { startReceiptWorker } from "../jobs/receipt-worker.server";
import { startScheduler, type PeriodicJob } from "../jobs/scheduler.server";
import { refreshDueConnections } from "../klaviyo/token-refresh.server";
import { log } from "../log.server";
import { readMissingShopFacts } from "../shops/shop-facts.server";
import { sealPlainSessions } from "../platform/sealed-sessions.server";
import { PIXEL_BATCH_MAX_BYTES } from "../platform/pixel-batch";
import { processStats } from "./process-stats.server";
import { DAY_MS } from "../time";

/** Each fires once per slot across every process running Waypost. */
export const PERIODIC_JOBS: PeriodicJob[] = [
  { name: "klaviyo-token-refresh", everyMs: 60_000, run: (now) => refreshDueConnections(now) },
  { name: "shipment-delay-scan", everyMs: 10 * 60_000, run: (now) => scanForDelays(now) },
  { name: "history-pruning", everyMs: DAY_MS / 4, run: (now) => pruneHistory(now) },
  // Store-credit balances between orders: each customer's is read again once a day old.
  { name: "store-credit-refresh", everyMs: DAY_MS / 24, run: (now) => refreshStoreCreditOnProfiles(now) },
  // Stores whose details Shopify did not give at install (it was unreachable) are asked again.
  { name: "shop-facts", everyMs: 60_000, run: () => readMissingShopFacts() },
  // Klaviyo unsubscribes of shops whose consent sync has no webhook (private key, plan).
  { name: "consent-poll", everyMs: CONSENT_POLL_EVERY_MS, run: (now) => pollConsentChanges(now) },
  // Orders updated since each shop's last check, read from Shopify: updates whose webhook never came.
  {
    name: "reconciliation",
    // Read when the scheduler asks, after the process has validated its environment.
    get everyMs() {
      return getEnv().reconciliationEveryMs;
    },
    run: (now) => reconcileShops(now),
  },
];

/**
 * Validates the environment (throws EnvError naming the variable) and says how to listen. The
 * demo's secrets are loaded here, by the demo, and handed to the environment.
 */
export function prepareProcess() {
  const env = bootEnv({ loadDemoSecrets });
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
    // …and its own Shopify Admin API, serving the demo store's order history for backfills.
    shopifyAdminDouble: env.demo ? { port: env.port + 2, store: DEMO_STORE } : null,
    limits: {
      maxBytes: env.requestMaxBytes,
      webhookMaxBytes: env.webhookMaxBytes,
      pixelBatchMaxBytes: PIXEL_BATCH_MAX_BYTES,
    },
    maxConnections: env.maxConnections,
    // On PostgreSQL the workers run in a thread of their own, so no receipt or send holds up a
    // webhook's 200. SQLite stays on one connection: with two, every receipt the workers record
    // waits on the web thread's inserts for the file's one write lock, and they on it.
    workersInThread: databaseProvider(env.databaseUrl) === "postgresql",
  };
}

/** The one line a request refused by the web server's limits leaves. */
export function logRefusedRequest(fields: Record<string, unknown>) {
  log.warn("request refused", fields);
}

/** Brings the database schema up to date; safe when several processes start at once. */
export async function prepareDatabase() {
  const applied = await applyMigrations(getEnv().databaseUrl);
  if (applied.length) log.info("database migrated", { applied });
  await sealPlainSessions();
}

/**
 * Everything that runs beside the web server: seeding the demo store and the workers.
 * `besideWebServer`: on the web server's own thread (SQLite), where accepting webhooks goes first.
 */
export async function startBackgroundWork({ besideWebServer = false } = {}) {
  if (getEnv().demo) await ensureDemoShop();
  processStats();
  const receiptWorker = startReceiptWorker({ besideIngest: besideWebServer });
  const eventSender = await startEventSender({ owner: WORKER_ID });
  const backfillWorker = startBackfillWorker({ owner: WORKER_ID });
  const consentWorker = startConsentWorker();
  const scheduler = await startScheduler(PERIODIC_JOBS, { owner: WORKER_ID });
  log.info("workers started", { worker: WORKER_ID });
  return {
    /** Stops taking work, lets in-flight sends finish, and gives back anything still held. */
    async stop() {
      await scheduler.stop();
      await receiptWorker.stop();
      await consentWorker.stop();
      // Before the event sender, which gives back every lease this worker still holds.
      await backfillWorker.stop();
      await eventSender.stop();
      await prisma.$disconnect();
      log.info("workers stopped", { worker: WORKER_ID });
    },
  };
}
