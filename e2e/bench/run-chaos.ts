import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import pg from "pg";
import { orderStory } from "../../app/platform/sample-order";
import { startKlaviyoDouble } from "../../app/demo/doubles/klaviyo/server";
import { addDoubleAccount, recordedByUniqueId } from "../support/delivery-fixtures";
import { createTestDatabase } from "../support/test-database";
import { APP_PROCESS_ARGS, POSTGRES_ADMIN_URL, testAppEnv } from "../support/test-config";
import { signedWebhookHeaders } from "../support/webhook-signer";

// `npm run chaos`: Waypost on PostgreSQL (one web process with its workers, two worker-only
// processes) against a Klaviyo double that fails on purpose: 10 % 5xx, 5 % 429, 5 % two-second
// answers, 3 % of accepted events answered 500 (recorded, answer lost). Every webhook arrives three
// times, all of them shuffled; a worker is SIGKILLed and replaced every few seconds; the database
// connections are cut once. At the end, every event Waypost decided to send must be at the
// double exactly once. `--short` is the shortened form `npm test` runs.
const SHORT = process.argv.includes("--short");
const ORDERS = SHORT ? 30 : 120;
const SHOPS = 4;
// CHAOS_PORT lets two checkouts run the chaos test side by side on one machine.
const WEB_PORT = Number(process.env.CHAOS_PORT ?? 3400);
const KILL_EVERY_MS = 3000;
const OUT = "e2e/output/chaos";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const children = new Set<ChildProcess>();

function seededShuffle<T>(items: T[], seed = 42): T[] {
  const copy = [...items];
  let state = seed;
  const random = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let index = copy.length - 1; index > 0; index--) {
    const other = Math.floor(random() * (index + 1));
    [copy[index], copy[other]] = [copy[other], copy[index]];
  }
  return copy;
}

async function main() {
  mkdirSync(OUT, { recursive: true });
  const database = await createTestDatabase("postgres");
  const double = await startKlaviyoDouble({ port: 0, clients: [] });
  const env = {
    ...testAppEnv,
    DATABASE_URL: database.url,
    KLAVIYO_API_URL: double.url,
    WORKER_LEASE_SECONDS: "8",
    LOG_LEVEL: "error",
  };
  Object.assign(process.env, env);
  const { prisma } = await import("../../app/db.server");
  const { connectWithPrivateKey } = await import("../../app/klaviyo/connection.server");
  const { saveTrackSettings } = await import("../../app/settings/track-settings.server");
  const { EVENT_CATALOG } = await import("../../app/tracking/event-catalog");
  const { seedInstalledShop } = await import("../support/admin-session");

  const shops: string[] = [];
  for (let index = 0; index < SHOPS; index++) {
    const domain = `chaos-${index}.myshopify.com`;
    const shop = await seedInstalledShop(prisma, domain, `Chaos ${index}`);
    const account = addDoubleAccount(double.state, `KCHAOS${index}`);
    const connected = await connectWithPrivateKey(shop.id, account.privateKeys[0]);
    if (!connected.ok) throw new Error(connected.message);
    await saveTrackSettings(shop.id, { goLive: true, enabledEvents: EVENT_CATALOG.map((event) => event.key) });
    shops.push(domain);
  }
  double.state.faults = {
    errorRate: 0.1,
    rateLimitRate: 0.05,
    slowRate: 0.05,
    slowMs: 2000,
    lostAnswerRate: 0.03,
    latencyMs: 0,
  };

  const start = (args: string[]) => {
    const child = spawn(process.execPath, [...APP_PROCESS_ARGS, ...args], {
      env: {
        ...process.env,
        ...env,
        PORT: String(WEB_PORT),
        SHOPIFY_APP_URL: `http://localhost:${WEB_PORT}`,
        NODE_ENV: "production",
      },
      stdio: ["ignore", "ignore", "inherit"],
    });
    children.add(child);
    child.once("exit", () => children.delete(child));
    return child;
  };
  start([]);
  let workers = [start(["--worker-only"]), start(["--worker-only"])];
  for (let deadline = Date.now() + 60_000; ; await sleep(200)) {
    if (
      (await fetch(`http://127.0.0.1:${WEB_PORT}/healthz`).then(
        (response) => response.status,
        () => 0,
      )) === 200
    )
      break;
    if (Date.now() > deadline) throw new Error("the app did not start");
  }

  // Every webhook three times, all shuffled together: duplicates and any order of arrival.
  const deliveries = seededShuffle(
    Array.from({ length: ORDERS }, (_, index) => {
      const orderId = 9_000_000 + index;
      return orderStory({ orderId }).map((webhook, step) => ({
        ...webhook,
        shop: shops[index % SHOPS],
        webhookId: `chaos-${orderId}-${step}`,
      }));
    })
      .flat()
      .flatMap((delivery) => [delivery, delivery, delivery]),
  );

  let kills = 0;
  const killer = setInterval(() => {
    const victim = workers[kills % workers.length];
    victim.kill("SIGKILL");
    workers = workers.map((worker) => (worker === victim ? start(["--worker-only"]) : worker));
    kills++;
  }, KILL_EVERY_MS);

  let refusedAnswers = 0;
  let connectionsCut = 0;
  for (const [index, delivery] of deliveries.entries()) {
    if (index === Math.floor(deliveries.length * 0.4)) {
      const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
      await admin.connect();
      connectionsCut =
        (await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'waypost'"))
          .rowCount ?? 0;
      await admin.end();
    }
    const body = JSON.stringify(delivery.body);
    // As Shopify does: a webhook not answered 200 is sent again later.
    for (let attempt = 0; ; attempt++) {
      const status = await fetch(`http://127.0.0.1:${WEB_PORT}/webhooks`, {
        method: "POST",
        headers: signedWebhookHeaders(body, {
          topic: delivery.topic,
          shop: delivery.shop,
          webhookId: delivery.webhookId,
        }),
        body,
      }).then(
        (response) => response.status,
        () => 0,
      );
      if (status === 200) break;
      refusedAnswers++;
      if (attempt >= 10) throw new Error(`webhook ${delivery.webhookId} refused ${attempt + 1} times (last ${status})`);
      await sleep(500);
    }
    if (index % 10 === 0) await sleep(20);
  }

  // Let the killing stop, then everything settle: retries, taken-over leases, backoffs.
  await sleep(KILL_EVERY_MS);
  clearInterval(killer);
  const unsettled = () =>
    Promise.all([
      prisma.webhookReceipt.count({ where: { status: { in: ["pending", "processing"] } } }),
      prisma.trackingEvent.count({ where: { status: "queued" } }),
    ]);
  for (let deadline = Date.now() + 120_000; ; await sleep(500)) {
    const [receipts, events] = await unsettled();
    if (receipts === 0 && events === 0) break;
    if (Date.now() > deadline) throw new Error(`did not settle: ${receipts} receipts and ${events} events still open`);
  }

  const sent = await prisma.trackingEvent.findMany({ where: { status: "sent" }, select: { uniqueKey: true } });
  const { counts, duplicates } = recordedByUniqueId(double.state);
  const lost = sent.filter((event) => !counts.has(event.uniqueKey)).length;
  const ordersWithPlacedOrder = new Set(
    double.state.events.filter((event) => event.metric === "Placed Order").map((event) => event.properties.order_name),
  ).size;
  const report = {
    orders: ORDERS,
    webhooksPosted: deliveries.length,
    webhooksRefusedThenRetried: refusedAnswers,
    receiptsStored: await prisma.webhookReceipt.count(),
    receiptsFailed: await prisma.webhookReceipt.count({ where: { status: "failed" } }),
    eventsExpected: sent.length,
    eventsReceived: counts.size,
    lost,
    duplicates: duplicates.length,
    resendsIgnoredByUniqueId: double.state.duplicatesIgnored,
    deadLettered: await prisma.trackingEvent.count({ where: { status: "dead_lettered" } }),
    ordersWithPlacedOrder,
    workerKills: kills,
    databaseConnectionsCut: connectionsCut,
  };
  writeFileSync(`${OUT}/results.json`, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`chaos: ${JSON.stringify(report)}`);
  console.log(
    `lost ${lost}, duplicates ${duplicates.length} (of ${sent.length} events expected, ${counts.size} received)`,
  );

  for (const child of children) child.kill("SIGTERM");
  await sleep(1000);
  await prisma.$disconnect();
  await double.close();
  await database.drop();
  const healthy =
    lost === 0 &&
    duplicates.length === 0 &&
    report.deadLettered === 0 &&
    report.receiptsFailed === 0 &&
    report.receiptsStored === ORDERS * 6 &&
    ordersWithPlacedOrder === ORDERS;
  if (!healthy) process.exitCode = 1;
}

main()
  .catch((error) => {
    console.error("chaos run failed:", error);
    process.exitCode = 1;
  })
  .finally(() => {
    for (const child of children) child.kill("SIGKILL");
    // The double and database pools would keep a failed run alive; the verdict is in.
    setTimeout(() => process.exit(), 500);
  });
