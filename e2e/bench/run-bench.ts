import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { orderStory } from "../../app/platform/sample-order";
import { startKlaviyoDouble, type KlaviyoDouble } from "../../app/demo/doubles/klaviyo/server";
import { addDoubleAccount } from "../support/delivery-fixtures";
import { signedWebhookHeaders } from "../support/webhook-signer";
import { APP_PROCESS_ARGS, BROWSER_USER_AGENT, TEST_API_SECRET, testAppEnv } from "../support/test-config";
import { generateOrderHistory } from "../../app/demo/doubles/shopify-admin/order-history";
import { startShopifyAdminDouble } from "../../app/demo/doubles/shopify-admin/server";
import { eventsInHistory } from "../../app/tracking/history-events";
import { seedActivityHistory, timeActivityPages } from "./activity-at-scale";
import { fixedRate, maxRate, percentile, type LoadResult, type Shot } from "./load";
import { pixelBatch, standardEvent } from "../support/pixel-batch";

// `npm run bench`: the production build on its embedded default (SQLite), the Klaviyo double and
// two baselines, all on loopback, measured in one run. Prints a table and writes
// e2e/output/bench/results.json. Figures are meant as ratios between rows of the same run.
const OUT = "e2e/output/bench";
// BENCH_PORT_BASE lets two checkouts run benchmarks side by side on one machine.
const PORT_BASE = Number(process.env.BENCH_PORT_BASE ?? 3300);
const APP_PORT = PORT_BASE;
const FLOOR_PORT = PORT_BASE + 10;
const NAIVE_PORT = PORT_BASE + 11;
const DATABASE_URL = `file:${OUT}/waypost.sqlite`;
const SHORT = process.argv.includes("--short");
const PHASE_SECONDS = SHORT ? 3 : 8;
const BACKLOG = SHORT ? 20_000 : 100_000;
const HISTORY = SHORT ? 100_000 : 1_000_000;
const BACKFILL_EVENTS = SHORT ? 25_000 : 250_000;
const ADMIN_API_PORT = PORT_BASE + 20;
// Storefront shops for the pixel ingest: enough that the per-shop limit (6,000 batches a minute) never binds.
const PIXEL_SHOPS = 20;
const PIXEL_EVENTS_PER_BATCH = 10;

const SHOPS = {
  e2e: "bench-e2e.myshopify.com",
  small: "bench-small.myshopify.com",
  big: "bench-big.myshopify.com",
  ingest: "bench-ingest.myshopify.com",
  history: "bench-history.myshopify.com",
  fewEvents: "bench-few.myshopify.com",
  backfill: "bench-backfill.myshopify.com",
};

const children: ChildProcess[] = [];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const round = (value: number) => Math.round(value * 100) / 100;

/** A process of node with `nodeArgs`. */
function startProcess(nodeArgs: string[], env: Record<string, string | undefined> = {}): ChildProcess {
  const child = spawn(process.execPath, nodeArgs, {
    env: { ...process.env, ...env },
    stdio: ["ignore", "ignore", "inherit"],
  });
  children.push(child);
  return child;
}

/** A baseline server (baseline-server.ts): floor or naive, its port, its database, … */
const startBaseline = (args: string[]) => startProcess(["--import", "tsx", "e2e/bench/baseline-server.ts", ...args]);

async function waitForHttp(url: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await fetch(url).then(
      (response) => response.status,
      () => 0,
    );
    if (status > 0) return;
    if (Date.now() > deadline) throw new Error(`${url} did not come up`);
    await sleep(200);
  }
}

async function waitUntil(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await sleep(100);
  }
}

/**
 * Waits for `remaining()` to reach 0 for as long as it keeps falling: fails only when it has not
 * fallen for `stallMs`. Returns how long it took.
 */
async function waitWhileFalling(remaining: () => Promise<number>, stallMs: number, what: string): Promise<number> {
  const started = Date.now();
  let lowest = Infinity;
  let fellAt = started;
  for (let left = await remaining(); left > 0; left = await remaining()) {
    if (left < lowest) [lowest, fellAt] = [left, Date.now()];
    if (Date.now() - fellAt > stallMs) throw new Error(`stuck: ${what} (${left} left)`);
    await sleep(1000);
  }
  return Date.now() - started;
}

let webhookSequence = 0;
/** A signed orders/create for a new order of `shop`; remembers when it was made. */
function orderWebhook(shop: string, sentAt?: Map<string, number>): Shot {
  const orderId = 5_000_000 + ++webhookSequence;
  const body = Buffer.from(JSON.stringify(orderStory({ orderId })[0].body));
  sentAt?.set(`#${orderId}`, Date.now());
  return {
    path: "/webhooks",
    headers: signedWebhookHeaders(body.toString("utf8"), {
      topic: "orders/create",
      shop,
      webhookId: `bench-${orderId}`,
    }),
    body,
  };
}

/** From webhook sent to event accepted at the double, for the orders in `sentAt`. */
function endToEndLatencies(double: KlaviyoDouble, accountId: string, sentAt: Map<string, number>) {
  const latencies = double.state.events
    .filter(
      (event) =>
        event.accountId === accountId &&
        event.metric === "Placed Order" &&
        sentAt.has(String(event.properties.order_name)),
    )
    .map((event) => Date.parse(event.receivedAt) - sentAt.get(String(event.properties.order_name))!)
    .sort((a, b) => a - b);
  return {
    events: latencies.length,
    p50Ms: percentile(latencies, 50),
    p95Ms: percentile(latencies, 95),
    p99Ms: percentile(latencies, 99),
  };
}

async function main() {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const double = await startKlaviyoDouble({ port: PORT_BASE + 1, clients: [] });
  Object.assign(process.env, testAppEnv, { DATABASE_URL, KLAVIYO_API_URL: double.url, LOG_LEVEL: "warn" });

  // App modules read the environment on first use, so they load after it is set.
  const { applyMigrations } = await import("../../app/db/migrate.server");
  const { prisma } = await import("../../app/db.server");
  const { connectWithPrivateKey } = await import("../../app/klaviyo/connection.server");
  const { saveTrackSettings } = await import("../../app/settings/track-settings.server");
  const { seedInstalledShop } = await import("../support/admin-session");
  const { queueEvents } = await import("../support/delivery-fixtures");
  const { cancelQueued } = await import("../../app/jobs/event-queue/cancel.server");

  await applyMigrations(DATABASE_URL);
  const shopIds: Record<keyof typeof SHOPS, string> = {} as never;
  for (const [key, domain] of Object.entries(SHOPS) as Array<[keyof typeof SHOPS, string]>) {
    shopIds[key] = (await seedInstalledShop(prisma, domain, key)).id;
  }
  for (const [key, accountId] of [
    ["e2e", "KE2E"],
    ["small", "KSMALL"],
    ["big", "KBIG"],
    ["backfill", "KBACKFILL"],
  ] as const) {
    const account = addDoubleAccount(double.state, accountId);
    const connected = await connectWithPrivateKey(shopIds[key], account.privateKeys[0]);
    if (!connected.ok) throw new Error(`could not connect ${key}: ${connected.message}`);
    await saveTrackSettings(shopIds[key], { goLive: true, enabledEvents: ["placed_order"] });
  }
  const { EVENT_CATALOG } = await import("../../app/tracking/event-catalog");
  await saveTrackSettings(shopIds.backfill, { goLive: true, enabledEvents: EVENT_CATALOG.map((event) => event.key) });
  const storefrontEvents = EVENT_CATALOG.filter((event) => event.lifecycle === "storefront").map((event) => event.key);
  const pixelShops: Array<{ domain: string; pixelKey: string }> = [];
  for (let index = 0; index < PIXEL_SHOPS; index++) {
    const domain = `bench-pixel-${index}.myshopify.com`;
    const { id } = await seedInstalledShop(prisma, domain, `pixel ${index}`);
    const pixelKey = `wpx_bench_${index}`;
    await prisma.shop.update({ where: { id }, data: { pixelKey } });
    // An account each, as separate merchants have (and Klaviyo's key check is limited per account).
    const connected = await connectWithPrivateKey(id, addDoubleAccount(double.state, `KPIXEL${index}`).privateKeys[0]);
    if (!connected.ok) throw new Error(`could not connect ${domain}: ${connected.message}`);
    await saveTrackSettings(id, { goLive: true, enabledEvents: storefrontEvents });
    pixelShops.push({ domain, pixelKey });
  }
  double.state.events = [];
  double.state.rateWindows.reset();

  const app = startProcess(APP_PROCESS_ARGS, {
    ...testAppEnv,
    PORT: String(APP_PORT),
    SHOPIFY_APP_URL: `http://localhost:${APP_PORT}`,
    DATABASE_URL,
    KLAVIYO_API_URL: double.url,
    SHOPIFY_ADMIN_API_URL: `http://127.0.0.1:${ADMIN_API_PORT}`,
    NODE_ENV: "production",
    LOG_LEVEL: "error",
  });
  await waitForHttp(`http://127.0.0.1:${APP_PORT}/healthz`);
  const health = async () => (await fetch(`http://127.0.0.1:${APP_PORT}/healthz`)).json();
  /** The app's /healthz read every second until stopped: the peaks of its memory and event-loop delay. */
  const sampleUnderLoad = () => {
    const peak = { rssMb: 0, heapTotalMb: 0, eventLoopP99Ms: 0 };
    const sampler = setInterval(async () => {
      const stats = (await health()).process;
      peak.rssMb = Math.max(peak.rssMb, stats.rssMb);
      peak.heapTotalMb = Math.max(peak.heapTotalMb, stats.heapMb.total);
      peak.eventLoopP99Ms = Math.max(peak.eventLoopP99Ms, stats.eventLoopDelayMs.p99);
    }, 1000);
    return { peak, stop: () => clearInterval(sampler) };
  };

  // 1. End to end, on an idle app: webhook in → Placed Order accepted at Klaviyo.
  console.log("▶ end-to-end latency");
  const idleSentAt = new Map<string, number>();
  await fixedRate(APP_PORT, 10, PHASE_SECONDS, () => orderWebhook(SHOPS.e2e, idleSentAt));
  await waitUntil(
    () => endToEndLatencies(double, "KE2E", idleSentAt).events === idleSentAt.size,
    60_000,
    "end-to-end events",
  );
  const endToEnd = endToEndLatencies(double, "KE2E", idleSentAt);

  // 2. Fairness: a small shop's latency while another shop's lane has a huge backlog.
  console.log(`▶ fairness with a ${BACKLOG.toLocaleString("en-US")}-event backlog`);
  await queueEvents(prisma, shopIds.big, "backlog", BACKLOG);
  const backlogStartedAt = Date.now();
  const smallSentAt = new Map<string, number>();
  await fixedRate(APP_PORT, 5, PHASE_SECONDS * 2, () => orderWebhook(SHOPS.small, smallSentAt));
  await waitUntil(
    () => endToEndLatencies(double, "KSMALL", smallSentAt).events === smallSentAt.size,
    60_000,
    "small shop events",
  );
  const smallShop = endToEndLatencies(double, "KSMALL", smallSentAt);
  const backlogSeconds = (Date.now() - backlogStartedAt) / 1000;
  const bigDelivered = double.state.events.filter((event) => event.accountId === "KBIG").length;
  // Stop the backlog so it does not weigh on the ingest phases.
  await cancelQueued({ shopId: shopIds.big }, "benchmark over");
  const peaks = Object.fromEntries(
    [...double.state.rateWindows.peaks.entries()].filter(([key]) => key.endsWith(":events")),
  );

  // 3. Webhook ingest: Waypost against the floor and the naive handler, same load each.
  console.log("▶ webhook ingest");
  const floor = startBaseline(["floor", String(FLOOR_PORT), `${OUT}/floor.sqlite`, TEST_API_SECRET]);
  const naive = startBaseline([
    "naive",
    String(NAIVE_PORT),
    `${OUT}/naive.sqlite`,
    TEST_API_SECRET,
    double.url,
    "pk_ke2e_00000000000000000000000000",
  ]);
  await Promise.all([waitForHttp(`http://127.0.0.1:${FLOOR_PORT}/`), waitForHttp(`http://127.0.0.1:${NAIVE_PORT}/`)]);
  const ingest: Record<string, Record<string, LoadResult>> = { waypost: {}, floor: {}, naive: {} };
  let appUnderLoad = { rssMb: 0, heapTotalMb: 0, eventLoopP99Ms: 0 };
  for (const [name, port] of [
    ["waypost", APP_PORT],
    ["floor", FLOOR_PORT],
    ["naive", NAIVE_PORT],
  ] as const) {
    console.log(`  ${name}`);
    const shot = () => orderWebhook(SHOPS.ingest);
    ingest[name]["100/s"] = await fixedRate(port, 100, PHASE_SECONDS, shot);
    ingest[name]["500/s"] = await fixedRate(port, 500, PHASE_SECONDS, shot);
    if (name === "waypost") {
      const sampling = sampleUnderLoad();
      ingest[name].max = await maxRate(port, 32, Math.max(PHASE_SECONDS, 11), shot);
      sampling.stop();
      appUnderLoad = sampling.peak;
    } else {
      ingest[name].max = await maxRate(port, 32, PHASE_SECONDS, shot);
    }
  }
  floor.kill();
  naive.kill();
  console.log("▶ waiting for the app to process what it accepted");
  // Counted here, not on /healthz: its count stops at 10,000, and a faster ingest leaves more.
  const unprocessed = () => prisma.webhookReceipt.count({ where: { status: { in: ["pending", "processing"] } } });
  const backlog = { receipts: await unprocessed(), seconds: 0 };
  backlog.seconds = round((await waitWhileFalling(unprocessed, 60_000, "webhook backlog")) / 1000);
  const idle = (await health()).process;

  // 4. Activity's first page with a long history.
  console.log(`▶ Activity with ${HISTORY.toLocaleString("en-US")} events`);
  await seedActivityHistory(`${OUT}/waypost.sqlite`, shopIds.history, HISTORY);
  await seedActivityHistory(`${OUT}/waypost.sqlite`, shopIds.fewEvents, 1000);
  const activity = await timeActivityPages(
    `http://127.0.0.1:${APP_PORT}`,
    `${OUT}/waypost.sqlite`,
    { large: SHOPS.history, small: SHOPS.fewEvents },
    BROWSER_USER_AGENT,
  );

  // 5. Backfill: order history worth BACKFILL_EVENTS events, read from the Admin API stand-in
  // (with budget to spare, so Klaviyo's bulk limit is what binds) and sent in bulk.
  console.log(`▶ backfill of ${BACKFILL_EVENTS.toLocaleString("en-US")} events`);
  const backfill = await benchBackfill(double, shopIds.backfill, async () => {
    const [{ startBackfill }, { latestBackfill }] = await Promise.all([
      import("../../app/jobs/backfill/commands.server"),
      import("../../app/jobs/backfill/progress.server"),
    ]);
    return { startBackfill, latestBackfill };
  });

  // 6. Pixel ingest (issue #20), last: nothing after it waits for the batches it leaves queued: storefront batches of 10 Shopify standard events from ever-new
  // browsers, against the same floor (bare node:http: parse the JSON, insert one row), with the
  // app's workers turning the batches into events and sending them meanwhile.
  console.log("▶ pixel ingest");
  const pixelFloor = startBaseline(["floor", String(FLOOR_PORT), `${OUT}/floor-pixel.sqlite`, TEST_API_SECRET]);
  await waitForHttp(`http://127.0.0.1:${FLOOR_PORT}/`);
  const pixelIngest: Record<string, Record<string, LoadResult>> = { waypost: {}, floor: {} };
  let pixelUnderLoad = { rssMb: 0, heapTotalMb: 0, eventLoopP99Ms: 0 };
  for (const [name, port] of [
    ["waypost", APP_PORT],
    ["floor", FLOOR_PORT],
  ] as const) {
    console.log(`  ${name}`);
    const sampling = name === "waypost" ? sampleUnderLoad() : undefined;
    pixelIngest[name]["1000 events/s"] = await fixedRate(port, 1000 / PIXEL_EVENTS_PER_BATCH, PHASE_SECONDS, () =>
      pixelShot(pixelShops),
    );
    pixelIngest[name].max = await maxRate(port, 32, PHASE_SECONDS, () => pixelShot(pixelShops));
    sampling?.stop();
    if (sampling) pixelUnderLoad = sampling.peak;
  }
  pixelFloor.kill();
  const pixelShopIds = (
    await prisma.shop.findMany({ where: { domain: { in: pixelShops.map((shop) => shop.domain) } } })
  ).map((shop) => shop.id);

  // What the workers made of the batches in the next 30 s (storefront events recorded), while still taking them in.
  await sleep(30_000);
  const pixelEventsRecorded = await prisma.trackingEvent.count({ where: { shopId: { in: pixelShopIds } } });

  app.kill("SIGTERM");
  await double.close();
  await prisma.$disconnect();

  const results = {
    date: new Date().toISOString(),
    machine: `${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${Math.round(totalmem() / 2 ** 30)} GB, Node ${process.version}`,
    short: SHORT,
    endToEnd,
    fairness: {
      backlog: BACKLOG,
      smallShop,
      idleP99Ms: endToEnd.p99Ms,
      p99Ratio: round(smallShop.p99Ms / Math.max(1, endToEnd.p99Ms)),
    },
    delivery: {
      limit: { perSecond: 315, perMinute: 3150 },
      backlogShopDelivered: bigDelivered,
      backlogShopRatePerSecond: round(bigDelivered / backlogSeconds),
      peaks,
    },
    ingest,
    ingestRatios: {
      maxVsFloor: round(ingest.waypost.max.perSecond / ingest.floor.max.perSecond),
      maxVsNaive: round(ingest.waypost.max.perSecond / Math.max(1, ingest.naive.max.perSecond)),
      p99At100VsFloor: round(ingest.waypost["100/s"].p99Ms / Math.max(0.1, ingest.floor["100/s"].p99Ms)),
      p99At100VsNaive: round(ingest.waypost["100/s"].p99Ms / Math.max(0.1, ingest.naive["100/s"].p99Ms)),
      p99At500VsFloor: round(ingest.waypost["500/s"].p99Ms / Math.max(0.1, ingest.floor["500/s"].p99Ms)),
      p99At500VsNaive: round(ingest.waypost["500/s"].p99Ms / Math.max(0.1, ingest.naive["500/s"].p99Ms)),
    },
    appProcess: { underLoad: appUnderLoad, idle, backlog },
    pixel: {
      eventsPerBatch: PIXEL_EVENTS_PER_BATCH,
      shops: PIXEL_SHOPS,
      ingest: pixelIngest,
      maxVsFloor: round(pixelIngest.waypost.max.perSecond / pixelIngest.floor.max.perSecond),
      p99At1000EventsPerSecondMs: pixelIngest.waypost["1000 events/s"].p99Ms,
      underLoad: pixelUnderLoad,
      eventsRecorded: pixelEventsRecorded,
    },
    activity,
    backfill,
  };
  writeFileSync(`${OUT}/results.json`, `${JSON.stringify(results, null, 2)}\n`);
  console.log(renderTable());
  console.log(`\nwritten to ${OUT}/results.json`);

  function renderTable(): string {
    const row = (cells: unknown[]) => `| ${cells.join(" | ")} |`;
    const lines = [
      `Waypost benchmark — ${results.date.slice(0, 10)} — ${results.machine}${results.short ? " (short run)" : ""}`,
      "",
      row(["Webhook ingest", "100/s p50 / p99 ms", "500/s p50 / p99 ms", "max req/s (32 clients)", "max p99 ms"]),
      row(["---", "---", "---", "---", "---"]),
      ...(["waypost", "floor", "naive"] as const).map((name) => {
        const run = results.ingest[name];
        const label = {
          waypost: "Waypost (Remix, SQLite, workers)",
          floor: "floor: node:http + HMAC + SQLite insert",
          naive: "naive: Klaviyo called inline",
        }[name];
        return row([
          label,
          `${run["100/s"].p50Ms} / ${run["100/s"].p99Ms}`,
          `${run["500/s"].p50Ms} / ${run["500/s"].p99Ms}`,
          run.max.perSecond,
          run.max.p99Ms,
        ]);
      }),
      "",
      `Ratios: Waypost max throughput = ${results.ingestRatios.maxVsFloor}× the floor, ${results.ingestRatios.maxVsNaive}× naive; p99 at 100/s = ${results.ingestRatios.p99At100VsFloor}× the floor's, ${results.ingestRatios.p99At100VsNaive}× naive's; at 500/s = ${results.ingestRatios.p99At500VsFloor}× and ${results.ingestRatios.p99At500VsNaive}×.`,
      `Pixel ingest (batches of ${results.pixel.eventsPerBatch} events): at 1,000 events/s Waypost p50 / p99 ${results.pixel.ingest.waypost["1000 events/s"].p50Ms} / ${results.pixel.ingest.waypost["1000 events/s"].p99Ms} ms (floor ${results.pixel.ingest.floor["1000 events/s"].p50Ms} / ${results.pixel.ingest.floor["1000 events/s"].p99Ms} ms); max ${results.pixel.ingest.waypost.max.perSecond} batches/s vs the floor's ${results.pixel.ingest.floor.max.perSecond} = ${results.pixel.maxVsFloor}× (p99 ${results.pixel.ingest.waypost.max.p99Ms} ms, ${results.pixel.ingest.waypost.max.errors} not 2xx); RSS ${results.pixel.underLoad.rssMb} MB (V8's heap ${results.pixel.underLoad.heapTotalMb} MB), event-loop p99 ${results.pixel.underLoad.eventLoopP99Ms} ms; ${results.pixel.eventsRecorded.toLocaleString("en-US")} storefront events recorded within 30 s of the last batch.`,
      `Webhook → event accepted at Klaviyo (idle, 10/s): p50 ${results.endToEnd.p50Ms} ms, p95 ${results.endToEnd.p95Ms} ms, p99 ${results.endToEnd.p99Ms} ms (${results.endToEnd.events} events).`,
      `Fairness: small shop p99 ${results.fairness.smallShop.p99Ms} ms while another shop has a ${results.fairness.backlog.toLocaleString("en-US")}-event backlog = ${results.fairness.p99Ratio}× its idle p99.`,
      `Delivery: the backlog's account got ${results.delivery.backlogShopRatePerSecond} events/s; peak per account ${JSON.stringify(results.delivery.peaks)} vs limit ${results.delivery.limit.perSecond}/s, ${results.delivery.limit.perMinute}/min.`,
      `App process: RSS ${results.appProcess.underLoad.rssMb} MB (V8's heap ${results.appProcess.underLoad.heapTotalMb} MB) and event-loop p99 ${results.appProcess.underLoad.eventLoopP99Ms} ms under max load; idle ${results.appProcess.idle.rssMb} MB after processing the ${results.appProcess.backlog.receipts.toLocaleString("en-US")} receipts the ingest phases left, in ${results.appProcess.backlog.seconds} s.`,
      `Backfill: ${results.backfill.events.toLocaleString("en-US")} events (${results.backfill.orders.toLocaleString("en-US")} orders, at least ${results.backfill.requests} bulk requests) in ${results.backfill.seconds} s; the floor set by Klaviyo's Bulk Create limit (${results.backfill.klaviyoLimitPerMinute}/min) is ${results.backfill.floorSeconds} s: ${results.backfill.ratio}× the floor (Waypost runs its bulk lane at ${results.backfill.configuredPerMinute}/min, 90 % of the limit). Peak ${results.backfill.peakPerSecond}/s, ${results.backfill.peakPerMinute}/min.`,
      `Activity first page: ${results.activity.large.firstPageMs} ms with ${results.activity.large.events.toLocaleString("en-US")} events vs ${results.activity.small.firstPageMs} ms with ${results.activity.small.events.toLocaleString("en-US")} (${results.activity.firstPageRatio}×); search by email ${results.activity.large.searchMs} ms, dead letters only ${results.activity.large.deadLetteredMs} ms. Query plans: first page ${results.activity.firstPagePlan}; email search ${results.activity.searchPlan}.`,
    ];
    return lines.join("\n");
  }
}

let pixelShots = 0;
const pixelSamples = (["page_viewed", "product_viewed", "product_added_to_cart", "search_submitted"] as const).map(
  (name) => standardEvent(name, "bench-pixel.myshopify.com"),
);

/** One storefront batch: a new browser each time (the per-browser limit is not what is measured), shops in turn. */
function pixelShot(shops: Array<{ domain: string; pixelKey: string }>): Shot {
  const shot = pixelShots++;
  const shop = shops[shot % shops.length];
  const events = Array.from({ length: PIXEL_EVENTS_PER_BATCH }, (_, index) => ({
    ...pixelSamples[index % pixelSamples.length],
    id: `bench-${shot}-${index}`,
  }));
  const batch = pixelBatch({ shop: shop.domain, pixelKey: shop.pixelKey, clientId: `bench-browser-${shot}`, events });
  return {
    path: "/pixel/events",
    headers: {
      "Content-Type": "text/plain;charset=UTF-8",
      Origin: `https://${shop.domain}`,
      "User-Agent": BROWSER_USER_AGENT,
    },
    body: Buffer.from(JSON.stringify(batch)),
  };
}

/** Orders enough to hold `BACKFILL_EVENTS` events; the backfill imports them all and is timed. */
async function benchBackfill(
  double: KlaviyoDouble,
  shopId: string,
  load: () => Promise<
    Pick<typeof import("../../app/jobs/backfill/commands.server"), "startBackfill"> &
      Pick<typeof import("../../app/jobs/backfill/progress.server"), "latestBackfill">
  >,
) {
  const perOrder =
    generateOrderHistory({ count: 200, days: 80 }).flatMap((order) => {
      const found = eventsInHistory(SHOPS.backfill, order);
      return "events" in found ? found.events.filter((event) => event.order.contact.email) : [];
    }).length / 200;
  const orders = generateOrderHistory({ count: Math.ceil(BACKFILL_EVENTS / perOrder), days: 80 });
  const adminApi = await startShopifyAdminDouble({
    port: ADMIN_API_PORT,
    orders,
    bucket: 1_000_000,
    restoreRate: 1_000_000,
  });
  const { startBackfill, latestBackfill } = await load();
  const startedAt = Date.now();
  await startBackfill(shopId, { windowDays: 90, triggerFlows: false });
  await waitUntil(async () => (await latestBackfill(shopId))?.status === "completed", 30 * 60_000, "backfill");
  const seconds = (Date.now() - startedAt) / 1000;
  await adminApi.close();
  const progress = (await latestBackfill(shopId))!;
  const received = double.state.events.filter((event) => event.accountId === "KBACKFILL").length;
  if (received !== progress.eventsSent)
    throw new Error(`backfill: the double received ${received} events, Waypost sent ${progress.eventsSent}`);
  // The fewest requests that can carry them (1,000 events each): what the floor is made of.
  const requests = Math.ceil(received / 1000);
  const klaviyoLimitPerMinute = 150;
  const floorSeconds = round((requests / klaviyoLimitPerMinute) * 60);
  const peak = double.state.rateWindows.peaks.get("KBACKFILL:bulk") ?? { perSecond: 0, perMinute: 0 };
  return {
    orders: orders.length,
    events: received,
    requests,
    seconds: round(seconds),
    klaviyoLimitPerMinute,
    configuredPerMinute: 135,
    floorSeconds,
    ratio: round(seconds / floorSeconds),
    peakPerSecond: peak.perSecond,
    peakPerMinute: peak.perMinute,
  };
}

main()
  .catch((error) => {
    console.error("benchmark failed:", error);
    process.exitCode = 1;
  })
  .finally(() => {
    for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
    // A failed run may leave servers listening; nothing more is owed once the table is out.
    process.exit();
  });
