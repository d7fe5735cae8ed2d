import { createRequire } from "node:module";
import { resolve } from "node:path";
import { setFlagsFromString } from "node:v8";
import { Worker } from "node:worker_threads";
import { createRequestHandler, type ServerBuild } from "@remix-run/node";
import compression from "compression";
import express from "express";
import { startKlaviyoDouble } from "../demo/doubles/klaviyo/server";
import { demoCustomers, demoProductVariants, generateOrderHistory } from "../demo/doubles/shopify-admin/order-history";
import { defaultShop, startShopifyAdminDouble } from "../demo/doubles/shopify-admin/server";
import { keepIdleConnectionsOpen } from "../keep-alive";
import { startupMessage } from "./startup-banner";
import type { FromBackground, ToBackground } from "./background-thread.server";
import { boundedRequestHandler, limitConnections, type RequestLimits } from "./request-limits.server";
import type { WebhookDelivery } from "../platform/webhook-ingest.server";
import { webhookDoor, type DoorAnswer } from "./webhook-door.server";

// The process entry. App modules are reached through the Remix build, one copy of each per
// thread: the web server on the main thread and its workers either beside it or (on PostgreSQL)
// in a worker thread of their own with their own database client; with --worker-only, the
// workers alone on the main thread.
interface ProcessHooks {
  prepareProcess(): {
    demo: boolean;
    port: number;
    host: string;
    appUrl: string;
    klaviyoDouble: { port: number; clientId: string; clientSecret: string } | null;
    shopifyAdminDouble: { port: number; store: { domain: string; name: string; timezone: string } } | null;
    limits: RequestLimits;
    maxConnections: number;
    workersInThread: boolean;
  };
  logRefusedRequest(fields: Record<string, unknown>): void;
  prepareDatabase(): Promise<void>;
  startBackgroundWork(options?: { besideWebServer: boolean }): Promise<{ stop(): Promise<void> }>;
  answerWebhook(delivery: WebhookDelivery): Promise<{ status: number; body: Record<string, unknown> }>;
  answerKlaviyoWebhook(delivery: WebhookDelivery): Promise<{ status: number; body: Record<string, unknown> }>;
  answerPixelBatch(delivery: WebhookDelivery): Promise<DoorAnswer>;
  forwardWorkTo(post: (message: ToBackground) => void): void;
}

// After a full collection V8 lets the heap grow to up to four times what survived it when the
// program allocates fast, as ingest under load does: 42 MB in use, 193 MB held, 310 MB of RSS.
// At most half again keeps such a process near 220 MB for 0-6 % of its maximum ingest (17 % in
// one run of three; the benchmark's webhook load, README "Ingest under load"). V8 reads this
// flag at every collection, so it may be set now; it bounds the growth, never the heap.
setFlagsFromString("--heap-growing-percent=50");

const workerOnly = process.argv.includes("--worker-only");
const requireFromProject = createRequire(`${process.cwd()}/`);
const BUILD = resolve("build/index.js");
const build = requireFromProject(BUILD) as ServerBuild;
const hooks = build.entry.module as unknown as ProcessHooks;

let config: ReturnType<ProcessHooks["prepareProcess"]>;
try {
  config = hooks.prepareProcess();
} catch (error) {
  console.error(`Waypost cannot start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}

async function main() {
  await hooks.prepareDatabase();
  const klaviyoDouble = config.klaviyoDouble
    ? await startKlaviyoDouble({
        port: config.klaviyoDouble.port,
        clients: [{ clientId: config.klaviyoDouble.clientId, clientSecret: config.klaviyoDouble.clientSecret }],
      })
    : undefined;
  if (klaviyoDouble)
    console.log(`Local Klaviyo double: ${klaviyoDouble.url} (activity feed at ${klaviyoDouble.url}/activity)`);
  // 400 orders over 90 days; the budget of a Shopify Plus store, so a demo import takes seconds.
  const shopifyAdminDouble = config.shopifyAdminDouble
    ? await startShopifyAdminDouble({
        port: config.shopifyAdminDouble.port,
        orders: generateOrderHistory({ count: 400, days: 90 }),
        productVariants: demoProductVariants(),
        customers: demoCustomers(),
        // What the demo's first admin page reads as the store's details, as a real install does.
        shop: {
          ...defaultShop(config.shopifyAdminDouble.store.domain),
          name: config.shopifyAdminDouble.store.name,
          ianaTimezone: config.shopifyAdminDouble.store.timezone,
        },
        bucket: 20_000,
        restoreRate: 1000,
      })
    : undefined;
  const background =
    workerOnly || !config.workersInThread
      ? await hooks.startBackgroundWork({ besideWebServer: !workerOnly })
      : await startBackgroundThread();
  const httpServer = workerOnly ? undefined : startWebServer();

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`Waypost received ${signal}, finishing in-flight work…`);
    await new Promise<void>((done) => (httpServer ? httpServer.close(() => done()) : done()));
    await background.stop();
    await klaviyoDouble?.close();
    await shopifyAdminDouble?.close();
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

function startWebServer() {
  const app = express();
  app.disable("x-powered-by");
  // Before any middleware: the door Shopify knocks on thousands of times a second on a sale day.
  app.post(
    "/webhooks",
    webhookDoor({
      maxBytes: config.limits.webhookMaxBytes,
      answer: (delivery) => hooks.answerWebhook(delivery),
      onRefused: (refused) => hooks.logRefusedRequest(refused),
      onError: (error) => console.error("webhook door failed:", error),
    }),
  );
  // Klaviyo's consent webhooks: the same door, limit and speed as Shopify's.
  app.post(
    "/klaviyo/webhooks",
    webhookDoor({
      maxBytes: config.limits.webhookMaxBytes,
      answer: (delivery) => hooks.answerKlaviyoWebhook(delivery),
      onRefused: (refused) => hooks.logRefusedRequest(refused),
      onError: (error) => console.error("klaviyo webhook door failed:", error),
    }),
  );
  // The storefront pixel's batches, from every shopper's browser: a door too (its CORS preflight
  // and anything but a POST go on to the Remix route, app/routes/pixel.events.tsx).
  app.post(
    "/pixel/events",
    webhookDoor({
      maxBytes: config.limits.pixelBatchMaxBytes,
      answer: (delivery) => hooks.answerPixelBatch(delivery),
      onRefused: (refused) => hooks.logRefusedRequest(refused),
      onError: (error) => console.error("pixel door failed:", error),
      failure: { error: "unavailable", detail: "the batch could not be stored; send it again" },
    }),
  );
  // gzip for pages, data and assets: Polaris' CSS alone is 442 KB raw, 52 KB compressed.
  app.use(compression());
  // Build assets carry a content hash in their names: a browser may keep them for good.
  app.use("/build", express.static("public/build", { immutable: true, maxAge: "1y" }));
  app.use(express.static("public", { maxAge: "1h" }));
  const handleRequest = createRequestHandler(build, build.mode);
  app.all(
    "*",
    boundedRequestHandler({
      limits: config.limits,
      handle: (request, from) => handleRequest(request, { remoteAddress: from.socket.remoteAddress }),
      onRefused: (refused) => hooks.logRefusedRequest(refused),
    }),
  );
  const server = app.listen(config.port, config.host, () => {
    (config.demo ? console.warn : console.log)(startupMessage(config));
  });
  keepIdleConnectionsOpen(server);
  limitConnections(server, { maxConnections: config.maxConnections });
  return server;
}

/**
 * The workers in a worker thread: the build's serveBackgroundThread starts them there; what this
 * thread signals (a webhook stored) is forwarded to them. If they die, so does the process, so
 * that its supervisor starts a whole one again rather than a web server that only piles up receipts.
 */
async function startBackgroundThread(): Promise<{ stop(): Promise<void> }> {
  const thread = new Worker(
    `require(require("node:worker_threads").workerData.build).entry.module.serveBackgroundThread()`,
    { eval: true, workerData: { build: BUILD } },
  );
  let stopping = false;
  thread.on("error", (error) => {
    console.error("Waypost's workers failed:", error);
    process.exit(1);
  });
  thread.on("exit", (code) => {
    if (stopping) return;
    console.error(`Waypost's workers stopped unexpectedly (exit code ${code})`);
    process.exit(1);
  });
  const said = (what: "started" | "stopped") =>
    new Promise<void>((done) => {
      const listener = (message: FromBackground) => {
        if (!(what in message)) return;
        thread.off("message", listener);
        done();
      };
      thread.on("message", listener);
    });
  await said("started");
  hooks.forwardWorkTo((message) => thread.postMessage(message));
  return {
    async stop() {
      stopping = true;
      const stopped = said("stopped");
      thread.postMessage({ stop: true } satisfies ToBackground);
      await stopped;
      await thread.terminate();
    },
  };
}

main().catch((error) => {
  console.error("Waypost failed to start:", error);
  process.exit(1);
});
