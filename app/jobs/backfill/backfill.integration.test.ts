import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { generateOrderHistory } from "../../demo/doubles/shopify-admin/order-history";
import { startShopifyAdminDouble, type ShopifyAdminDouble } from "../../demo/doubles/shopify-admin/server";
import { seedInstalledShop } from "../../../e2e/support/admin-session";
import { resetDatabase, seedShop, useKlaviyoDouble } from "../../../e2e/support/integration";
import { signedWebhookRequest } from "../../../e2e/support/webhook-signer";
import { prisma } from "../../db.server";
import { getEnv } from "../../env.server";
import { webhookPayloadsOf, type HistoryOrder } from "../../platform/order-history";
import { receiveWebhook } from "../../platform/webhook-ingest.server";
import { eventsInHistory } from "../../tracking/history-events";
import { sendDueEvents } from "../event-sender.server";
import { processPendingReceipts } from "../receipt-worker.server";
import { BackfillRefused, cancelBackfill, pauseBackfill, resumeBackfill, startBackfill } from "./commands.server";
import { latestBackfill } from "./progress.server";
import { readBackfillPages } from "./reader.server";
import { sendBackfillEvents } from "./sender.server";

const SHOP = "history-shop.myshopify.com";
// Every 100th order has 120 line items in 4 fulfillments of 11 scans: more than one document's worth.
const ORDERS = generateOrderHistory({ count: 2000, days: 90, largeOrderEvery: 100 });
const klaviyo = useKlaviyoDouble();
let shopify: ShopifyAdminDouble;
let shopId: string;

beforeAll(async () => {
  shopify = await startShopifyAdminDouble({
    orders: ORDERS,
    accessToken: `shpat_${SHOP}`,
    restoreRate: 100_000,
    bucket: 100_000,
  });
});
afterAll(async () => {
  await shopify.close();
});

beforeEach(async () => {
  // The environment is read once, after the test database exists; only then may it be touched.
  (getEnv() as { shopifyAdminApiUrl?: string }).shopifyAdminApiUrl = shopify.url;
  shopify.state.orders = ORDERS;
  shopify.state.failAfter = undefined;
  shopify.state.queries = [];
  await resetDatabase();
  shopId = (await seedShop({ domain: SHOP, name: "History Shop", connected: "KHIST", goLive: true })).id;
});

/** What a backfill of `days` must send: every event the orders in the window show, once. */
function expectedKeys(orders: HistoryOrder[], days: number, now = Date.now()) {
  const since = new Date(now - days * 24 * 60 * 60_000).toISOString();
  return new Set(
    orders
      .filter((order) => order.updatedAt >= since)
      .flatMap((order) => {
        const history = eventsInHistory(SHOP, order);
        return "events" in history ? history.events : [];
      })
      .filter((event) => event.order.contact.email)
      .map((event) => event.detection.uniqueKey),
  );
}

/** Workers' passes until the shop's import ends (or `maxPasses` ran out, e.g. mid-way). */
async function runPasses(owner: string, maxPasses = 10_000, now?: () => Date) {
  for (let pass = 0; pass < maxPasses; pass++) {
    await readBackfillPages({ owner, now: now?.() });
    await sendBackfillEvents({ owner, now: now?.() });
    const status = (await latestBackfill(shopId))?.status;
    if (status !== "running") return status;
  }
  return (await latestBackfill(shopId))?.status;
}

/** Delivers an order's life through the live webhook path, as it happened. */
async function deliverLive(order: HistoryOrder) {
  const payloads = webhookPayloadsOf(order);
  const deliveries = [
    { topic: "orders/create", body: payloads.order },
    ...payloads.fulfillments.flatMap((fulfillment) => [
      { topic: "fulfillments/create", body: fulfillment.created },
      ...fulfillment.scans.map((scan) => ({ topic: "fulfillment_events/create", body: scan })),
    ]),
  ];
  for (const delivery of deliveries)
    await receiveWebhook(signedWebhookRequest("https://waypost.test/webhooks", { ...delivery, shop: SHOP }));
  await processPendingReceipts();
}

const recordedIds = () => klaviyo.state.events.map((event) => event.uniqueId!);

// An import of 2,000 orders runs some 350 documents through the stand-in's schema executor: a minute on a busy machine.
describe("backfill of order history", { timeout: 600_000 }, () => {
  it("sends exactly the events 2,000 orders over 90 days show, in bulk, never resending one already sent live", async () => {
    // Some recent orders already went out live, before the merchant imports history.
    for (const order of ORDERS.slice(-15)) await deliverLive(order);
    while ((await sendDueEvents()).sent > 0);
    const sentLive = new Set(recordedIds());
    expect(sentLive.size).toBeGreaterThan(40);

    await startBackfill(shopId, { windowDays: 90, triggerFlows: false });
    expect(await runPasses("worker-a")).toBe("completed");

    const expected = expectedKeys(ORDERS, 90);
    const recorded = recordedIds();
    expect(new Set(recorded)).toEqual(expected);
    expect(recorded).toHaveLength(expected.size);
    expect(klaviyo.state.duplicatesIgnored).toBe(0);
    const viaBulk = klaviyo.state.events.filter((event) => event.via === "bulk");
    expect(viaBulk).toHaveLength(expected.size - sentLive.size);
    expect(viaBulk.every((event) => event.backfill === true && !sentLive.has(event.uniqueId!))).toBe(true);
    // 1,000 events a request, within the bulk lane.
    expect(klaviyo.state.rateWindows.peaks.get("KHIST:bulk")!.perSecond).toBeLessThanOrEqual(
      getEnv().laneLimits.bulk.perSecond,
    );

    // Every document fitted Shopify's single-query limit; the large orders were completed by follow-ups.
    expect(shopify.state.refusedOverCost).toBe(0);
    const pages = shopify.state.queries.filter((query) => query.operationName === "OrderHistoryPage");
    expect(Math.max(...shopify.state.queries.map((query) => query.requestedCost))).toBeLessThanOrEqual(1000);
    expect(pages[0].requestedCost).toBe(920);
    expect(
      shopify.state.queries.some(
        (query) => query.operationName === "ConnectionRest" && query.variables.fulfillmentEvents,
      ),
    ).toBe(true);

    const progress = (await latestBackfill(shopId))!;
    expect(progress).toMatchObject({
      status: "completed",
      percent: 100,
      ordersRead: 2000,
      ordersTotal: 2000,
      eventsSent: viaBulk.length,
      eventsFailed: 0,
    });
    expect(progress.eventsSkipped).toBeGreaterThan(0); // orders with no way to reach the customer
  });

  it("dead-letters only the events Klaviyo refuses in a bulk request, and sends the rest of it", async () => {
    const expected = [...expectedKeys(ORDERS, 30)];
    const refused = [expected[10], expected[500]];
    klaviyo.state.faults = { errorRate: 0, latencyMs: 0, refusedUniqueIds: refused };
    await startBackfill(shopId, { windowDays: 30, triggerFlows: false });
    expect(await runPasses("worker-a")).toBe("completed");

    expect(new Set(recordedIds())).toEqual(new Set(expected.filter((key) => !refused.includes(key))));
    const deadLetters = await prisma.trackingEvent.findMany({
      where: { shopId, status: "dead_lettered" },
      select: { uniqueKey: true, lastError: true },
    });
    expect(deadLetters.map((event) => event.uniqueKey).sort()).toEqual([...refused].sort());
    expect(deadLetters[0].lastError).toMatch(/Injected: this event is refused/);
    expect((await latestBackfill(shopId))!).toMatchObject({ eventsFailed: 2, eventsSent: expected.length - 2 });
  });

  it("reads only the chosen window, and lets flows fire when the merchant asks", async () => {
    await startBackfill(shopId, { windowDays: 14, triggerFlows: true });
    expect(await runPasses("worker-a")).toBe("completed");
    expect(new Set(recordedIds())).toEqual(expectedKeys(ORDERS, 14));
    expect((await latestBackfill(shopId))!.ordersRead).toBeLessThan(400);
    expect(klaviyo.state.events.some((event) => event.backfill)).toBe(false);
  });

  it("finishes after a worker dies mid-way, from its checkpoint, with nothing lost or sent twice", async () => {
    // A 30-day window: some 40 pages, enough to die on one and finish from a checkpoint (the 2,000-order
    // run above proves the full size once).
    const windowDays = 30;
    const since = new Date(Date.now() - windowDays * 24 * 60 * 60_000).toISOString();
    const ordersInWindow = ORDERS.filter((order) => order.updatedAt >= since).length;
    await startBackfill(shopId, { windowDays, triggerFlows: false });
    expect(await runPasses("worker-that-dies", 12)).toBe("running");
    // The dead worker's lease on the import and on events it claimed stay behind it.
    const ordersReadBeforeDeath = (await latestBackfill(shopId))!.ordersRead;
    expect(ordersReadBeforeDeath).toBeGreaterThan(0);
    expect(ordersReadBeforeDeath).toBeLessThan(ordersInWindow);
    await prisma.backfill.updateMany({
      data: { leaseOwner: "worker-that-dies", leaseExpiresAt: new Date(Date.now() + 60_000) },
    });

    // Another worker takes over once the leases have expired.
    const afterLease = () => new Date(Date.now() + 61_000);
    expect(await runPasses("worker-b", 10_000, afterLease)).toBe("completed");

    const expected = expectedKeys(ORDERS, windowDays);
    expect(new Set(recordedIds())).toEqual(expected);
    expect(recordedIds()).toHaveLength(expected.size);
    expect(klaviyo.state.duplicatesIgnored).toBe(0);
    expect((await latestBackfill(shopId))!.ordersRead).toBeGreaterThanOrEqual(ordersInWindow);
  });

  it("pauses, resumes and cancels; only one runs per shop; cancelling sends nothing more", async () => {
    const backfill = await startBackfill(shopId, { windowDays: 90, triggerFlows: false });
    await expect(startBackfill(shopId, { windowDays: 30, triggerFlows: false })).rejects.toThrow(BackfillRefused);

    await pauseBackfill(shopId, backfill.id);
    await readBackfillPages({ owner: "w" });
    await sendBackfillEvents({ owner: "w" });
    expect((await latestBackfill(shopId))!.ordersRead).toBe(0);
    await resumeBackfill(shopId, backfill.id);
    await runPasses("w", 3);
    const sentBeforeCancel = recordedIds().length;
    expect((await latestBackfill(shopId))!.ordersRead).toBeGreaterThan(0);

    await cancelBackfill(shopId, backfill.id);
    await runPasses("w", 3);
    expect(recordedIds()).toHaveLength(sentBeforeCancel);
    expect(await prisma.trackingEvent.count({ where: { backfillId: backfill.id, status: "queued" } })).toBe(0);
    expect((await latestBackfill(shopId))!.status).toBe("cancelled");
    // Now another can start.
    await expect(startBackfill(shopId, { windowDays: 7, triggerFlows: false })).resolves.toMatchObject({
      status: "running",
    });
  });

  it("refuses a window outside 1–90 days, an unconnected store, and another shop's import", async () => {
    await expect(startBackfill(shopId, { windowDays: 0, triggerFlows: false })).rejects.toThrow(
      "between 1 and 90 days",
    );
    await expect(startBackfill(shopId, { windowDays: 91, triggerFlows: false })).rejects.toThrow(BackfillRefused);
    const other = await seedInstalledShop(prisma, "other-history.myshopify.com");
    await expect(startBackfill(other.id, { windowDays: 14, triggerFlows: false })).rejects.toThrow("Connect Klaviyo");

    const mine = await startBackfill(shopId, { windowDays: 14, triggerFlows: false });
    await expect(pauseBackfill(other.id, mine.id)).rejects.toThrow(BackfillRefused);
    await expect(cancelBackfill(other.id, mine.id)).rejects.toThrow(BackfillRefused);
    expect(await latestBackfill(other.id)).toBeNull();
    expect((await latestBackfill(shopId))!.status).toBe("running");
  });

  it("waits out Shopify's throttling, and reports a store that refuses access as failed", async () => {
    const slow = await startShopifyAdminDouble({
      orders: ORDERS.slice(0, 200),
      bucket: 1000,
      restoreRate: 2000,
    });
    (getEnv() as { shopifyAdminApiUrl?: string }).shopifyAdminApiUrl = slow.url;
    try {
      await startBackfill(shopId, { windowDays: 90, triggerFlows: false });
      const started = Date.now();
      while ((await runPasses("w", 1)) === "running" && Date.now() - started < 120_000)
        await new Promise((resolve) => setTimeout(resolve, 20));
      expect((await latestBackfill(shopId))!.status).toBe("completed");
      expect(new Set(recordedIds())).toEqual(expectedKeys(ORDERS.slice(0, 200), 90));
    } finally {
      await slow.close();
    }

    const locked = await startShopifyAdminDouble({
      orders: ORDERS,
      accessToken: "some-other-token",
    });
    (getEnv() as { shopifyAdminApiUrl?: string }).shopifyAdminApiUrl = locked.url;
    try {
      await startBackfill(shopId, { windowDays: 14, triggerFlows: false });
      expect(await runPasses("w", 5)).toBe("failed");
      expect((await latestBackfill(shopId))!.error).toMatch(/refused Waypost's access/);
    } finally {
      await locked.close();
    }
  });
});
