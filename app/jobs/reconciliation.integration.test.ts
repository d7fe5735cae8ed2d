import { beforeEach, describe, expect, it } from "vitest";
import { resetDatabase, seedShop, useKlaviyoDouble, useShopifyAdminDouble } from "../../e2e/support/integration";
import {
  carrierScan,
  type OrderAtShopify,
  scanWebhookBody,
  shippedOrderAtShopify,
} from "../../e2e/support/admin-api-order";
import { signedWebhookRequest } from "../../e2e/support/webhook-signer";
import { generateOrderHistory } from "../demo/doubles/shopify-admin/order-history";
import { prisma } from "../db.server";
import { receiveWebhook } from "../platform/webhook-ingest.server";
import { SHOP_IDENTITY } from "../shops/shop-identity";
import { startBackfill } from "./backfill/commands.server";
import { readBackfillPages } from "./backfill/reader.server";
import { sendBackfillEvents } from "./backfill/sender.server";
import { sendDueEvents } from "./event-sender.server";
import { CHECK_OVERLAP_MS, reconcileShop, reconcileShops } from "./reconciliation.server";
import { processPendingReceipts } from "./receipt-worker.server";

const klaviyo = useKlaviyoDouble();
const shopify = useShopifyAdminDouble();
const HOUR = 60 * 60_000;
const ORDER_ID = 6_001;
const FULFILLMENT_ID = 8_001;

/** An order placed and shipped after install, as the Admin API holds it. */
const orderAtShopify = (start: number) =>
  shippedOrderAtShopify({
    orderId: ORDER_ID,
    fulfillmentId: FULFILLMENT_ID,
    name: "#2001",
    placedAt: start + HOUR,
    shippedAt: start + 2 * HOUR,
    buyer: { customerId: 12, email: "ada.lovelace@example.com", firstName: "Ada", lastName: "Lovelace", country: "GB" },
    currency: "GBP",
    total: "42.00",
    item: { lineItemId: 21, title: "Brass compass", sku: "CMP-1", quantity: 1, unitPrice: "42.00", variantId: 51 },
    tracking: { company: "Royal Mail", number: "RM123456789GB", url: "https://www.royalmail.com/track" },
  });

let start: number;
let order: OrderAtShopify;
let shopId: string;
const shopRow = () =>
  prisma.shop.findUniqueOrThrow({ where: { id: shopId }, select: { ...SHOP_IDENTITY, installedAt: true } });

beforeEach(async () => {
  await resetDatabase();
  // Installed ten hours ago; "now" in these tests is real time, so the stand-in's search sees the same clock.
  start = Date.now() - 10 * HOUR;
  shopId = (await seedShop({ connected: true, goLive: true })).id;
  await prisma.shop.update({ where: { id: shopId }, data: { installedAt: new Date(start) } });
  order = orderAtShopify(start);
  shopify.state.orders = [order];
  shopify.state.failAfter = undefined;
  shopify.state.queries = [];
});

const scannedAtShopify = (status: string, at: number) => carrierScan(order, status, at, "GB");

/** …and its webhook arrives (Shopify's documented fulfillment_events/create, for this shipment). */
async function scanWebhookArrives(status: string, at: number) {
  const accepted = await receiveWebhook(
    signedWebhookRequest("https://waypost.test/webhooks", {
      topic: "fulfillment_events/create",
      body: scanWebhookBody(order, status, at),
    }),
  );
  expect(accepted.httpStatus).toBe(200);
  await processPendingReceipts();
}

const eventKeys = async () =>
  (await prisma.trackingEvent.findMany({ orderBy: { detectedAt: "asc" } })).map((event) => event.eventKey);
const sendAll = async () => {
  while ((await sendDueEvents()).sent > 0);
};

describe("reconciliation: orders updated since the last check, read from Shopify", { timeout: 180_000 }, () => {
  it("recovers the events of updates whose webhooks were dropped, once, and then costs one count", async () => {
    scannedAtShopify("in_transit", start + 3 * HOUR);
    await scanWebhookArrives("in_transit", start + 3 * HOUR);
    expect(await eventKeys()).toContain("in_transit");
    const live = (await eventKeys()).length;

    // Two scans whose webhooks never come.
    scannedAtShopify("out_for_delivery", start + 8 * HOUR);
    scannedAtShopify("delivered", start + 9 * HOUR);
    shopify.state.queries = [];
    const now = new Date();
    const first = await reconcileShop(await shopRow(), now);
    expect(first).toEqual({ checked: true, ordersRead: 1, recovered: 2 });
    expect((await eventKeys()).slice(live).sort()).toEqual(["delivered", "out_for_delivery"]);
    // Read through the history import's reader, searched by updated_at from the install (the
    // events' product images are looked up besides, within 2 s or not at all).
    const reads = shopify.state.queries.filter((query) => query.operationName !== "VariantImages");
    expect(reads.map((query) => query.operationName)).toEqual(["OrderHistoryCount", "OrderHistoryPage"]);
    expect(reads[1].variables.query).toBe(`updated_at:>='${new Date(start).toISOString()}'`);

    // A second check right away records nothing.
    const second = await reconcileShop(await shopRow(), new Date(now.getTime() + 60_000));
    expect(second).toMatchObject({ checked: true, recovered: 0 });

    await sendAll();
    expect(klaviyo.state.events.map((event) => event.metric)).toEqual(
      expect.arrayContaining(["In Transit", "Out for Delivery", "Delivered"]),
    );
    const ids = klaviyo.state.events.map((event) => event.uniqueId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(klaviyo.state.events.filter((event) => event.metric === "Delivered")).toHaveLength(1);

    // Nothing changed since: one 1-point count, and the check moves on.
    shopify.state.queries = [];
    const later = new Date(now.getTime() + 30 * 60_000);
    expect(await reconcileShop(await shopRow(), later)).toEqual({ checked: true, ordersRead: 0, recovered: 0 });
    expect(shopify.state.queries.map(({ operationName, requestedCost }) => [operationName, requestedCost])).toEqual([
      ["OrderHistoryCount", 1],
    ]);
    const state = await prisma.shopReconciliation.findUniqueOrThrow({ where: { shopId } });
    expect(state).toMatchObject({ recoveredEvents: 2, lastError: null, lastCheckedAt: later });
    expect(state.checkedThrough).toEqual(new Date(later.getTime() - CHECK_OVERLAP_MS));
  });

  it("is not advanced while Shopify is unreachable, and a later run recovers what was missed", async () => {
    scannedAtShopify("in_transit", start + 3 * HOUR);
    scannedAtShopify("delivered", start + 9 * HOUR);
    shopify.state.failAfter = shopify.state.requests;

    const down = await reconcileShop(await shopRow(), new Date());
    expect(down).toMatchObject({ checked: false, reason: "Shopify answered HTTP 503", recovered: 0 });
    expect(await prisma.trackingEvent.count()).toBe(0);
    const waiting = await prisma.shopReconciliation.findUniqueOrThrow({ where: { shopId } });
    expect(waiting).toMatchObject({ checkedThrough: new Date(start), lastCheckedAt: null });
    expect(waiting.lastError).toBe("Shopify answered HTTP 503");

    shopify.state.failAfter = undefined;
    // reconcileShops walks every installed shop, as the scheduler runs it.
    expect(await reconcileShops(new Date())).toMatchObject({ shops: 1 });
    expect(await eventKeys()).toEqual(expect.arrayContaining(["in_transit", "delivered"]));
    expect(await prisma.shopReconciliation.findUniqueOrThrow({ where: { shopId } })).toMatchObject({
      lastError: null,
    });
  });

  it("sends nothing twice when it runs while a history import of the same orders is under way", async () => {
    // Orders of the last two days, all after the install: the import and the check both see the last day's.
    await prisma.shop.update({ where: { id: shopId }, data: { installedAt: new Date(Date.now() - 3 * 24 * HOUR) } });
    shopify.state.orders = generateOrderHistory({ count: 60, days: 2 });
    await startBackfill(shopId, { windowDays: 7, triggerFlows: true });
    await readBackfillPages({ owner: "worker-a" });

    // The check and the import share the shop's bucket: a check that would wait too long for it
    // stops where it got to and the next run goes on from there, so the two take turns here.
    let check = await reconcileShop(await shopRow(), new Date());
    let ordersRead = check.ordersRead;
    for (let pass = 0; pass < 400; pass++) {
      if (!check.checked) {
        check = await reconcileShop(await shopRow(), new Date());
        ordersRead += check.ordersRead;
      }
      const read = await readBackfillPages({ owner: "worker-a" });
      const bulk = await sendBackfillEvents({ owner: "worker-a" });
      const live = await sendDueEvents();
      if (read.read + bulk.sent + live.sent > 0) continue;
      if (check.checked && (await prisma.backfill.findFirstOrThrow()).status === "completed") break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(check.checked).toBe(true);
    expect(ordersRead).toBeGreaterThan(10);
    expect((await prisma.backfill.findFirstOrThrow()).status).toBe("completed");
    // A second check after the import: still nothing new.
    expect(await reconcileShop(await shopRow(), new Date())).toMatchObject({ checked: true, recovered: 0 });
    await sendAll();

    const ids = klaviyo.state.events.map((event) => event.uniqueId);
    expect(ids.length).toBeGreaterThan(50);
    expect(new Set(ids).size).toBe(ids.length);
    expect(klaviyo.state.duplicatesIgnored).toBe(0);
    expect(klaviyo.state.events.some((event) => event.via === "bulk")).toBe(true);
    expect(shopify.state.refusedOverCost).toBe(0);
  });
});
