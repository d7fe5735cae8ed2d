import { beforeEach, describe, expect, it } from "vitest";
import { resetDatabase, seedShop, useKlaviyoDouble, useShopifyAdminDouble } from "../../e2e/support/integration";
import { shopifyFixtureText } from "../../e2e/support/shopify-payloads";
import {
  carrierScan,
  type OrderAtShopify,
  scanWebhookBody,
  shippedOrderAtShopify,
} from "../../e2e/support/admin-api-order";
import { signedWebhookRequest } from "../../e2e/support/webhook-signer";
import { prisma } from "../db.server";
import { receiveWebhook } from "../platform/webhook-ingest.server";
import { sendDueEvents } from "./event-sender.server";
import { processPendingReceipts } from "./receipt-worker.server";

const double = useKlaviyoDouble();
const shopify = useShopifyAdminDouble();
const HOUR = 60 * 60_000;
const ORDER_ID = 5_001;
const FULFILLMENT_ID = 7_001;

/** An order placed and fulfilled days before install, as the Admin API holds it. */
const orderAtShopify = (installedAt: number) =>
  shippedOrderAtShopify({
    orderId: ORDER_ID,
    fulfillmentId: FULFILLMENT_ID,
    name: "#1042",
    placedAt: installedAt - 5 * 24 * HOUR,
    shippedAt: installedAt - 4 * 24 * HOUR,
    buyer: { customerId: 9, email: "mia.klein@example.com", firstName: "Mia", lastName: "Klein", country: "DE" },
    currency: "EUR",
    total: "71.90",
    item: { lineItemId: 11, title: "Linen apron", sku: "APR-1", quantity: 2, unitPrice: "29.95", variantId: 31 },
    tracking: { company: "DHL", number: "JD014600006281230704", url: "https://www.dhl.de/track?n=JD0146" },
  });

let order: OrderAtShopify;
beforeEach(async () => {
  await resetDatabase();
  const shop = await seedShop({ connected: true, goLive: true });
  order = orderAtShopify(shop.installedAt.getTime());
  shopify.state.orders = [order];
  shopify.state.failAfter = undefined;
});

/** A carrier scans the parcel: Shopify records the event, then sends its webhook. */
async function carrierScans(status: string, at: Date) {
  carrierScan(order, status, at.getTime(), "DE");
  const accepted = await receiveWebhook(
    signedWebhookRequest("https://waypost.test/webhooks", {
      topic: "fulfillment_events/create",
      body: scanWebhookBody(order, status, at.getTime()),
    }),
  );
  expect(accepted.httpStatus).toBe(200);
  await processPendingReceipts();
}

describe("repair instead of drop", () => {
  it("an order placed and fulfilled before install gets In Transit, Out for Delivery and Delivered once each", async () => {
    const now = Date.now();
    await carrierScans("in_transit", new Date(now + HOUR));
    await carrierScans("out_for_delivery", new Date(now + 20 * HOUR));
    await carrierScans("delivered", new Date(now + 24 * HOUR));
    // Shopify sends a webhook more than once now and then.
    await carrierScans("delivered", new Date(now + 24 * HOUR));
    while ((await sendDueEvents({ now: new Date(now + 25 * HOUR) })).sent > 0);

    expect(double.state.events.map((event) => event.metric)).toEqual(["In Transit", "Out for Delivery", "Delivered"]);
    for (const event of double.state.events) {
      expect(event.profile).toMatchObject({ email: "mia.klein@example.com", first_name: "Mia", last_name: "Klein" });
      expect(event.properties).toMatchObject({ order_name: "#1042", tracking_number: "JD014600006281230704" });
    }
    // The order's own currency and total, not a default nor the sum of what one fulfillment shipped.
    const attributes = (await prisma.trackingEvent.findMany({ where: { status: "sent" } })).map(
      (event) => JSON.parse(event.payload!).data.attributes as { value?: number; value_currency?: string },
    );
    expect(attributes.map(({ value, value_currency }) => [value, value_currency])).toEqual([
      [71.9, "EUR"],
      [71.9, "EUR"],
      [71.9, "EUR"],
    ]);
    // What happened before install filled in the order, and sent nothing: no Placed Order for last week's order.
    expect(await prisma.trackingEvent.count({ where: { eventKey: { in: ["placed_order", "order_shipped"] } } })).toBe(
      0,
    );
    const receipts = await prisma.webhookReceipt.findMany({ orderBy: { receivedAt: "asc" } });
    expect(receipts.map((receipt) => receipt.status)).toEqual(["processed", "processed", "processed", "processed"]);
    expect(receipts[0].outcome).toMatch(/read from Shopify/);
  });

  it("waits for Shopify while its Admin API is unreachable, then completes the order; nothing lost", async () => {
    shopify.state.failAfter = shopify.state.requests;
    const at = new Date(Date.now() + HOUR);
    await carrierScans("in_transit", at);
    const waiting = await prisma.webhookReceipt.findFirstOrThrow();
    expect(waiting).toMatchObject({ status: "waiting", outcome: "waiting for Shopify" });
    expect(await prisma.trackingEvent.count()).toBe(0);
    expect(await prisma.trackedShipment.count()).toBe(0);

    shopify.state.failAfter = undefined;
    await processPendingReceipts({ now: waiting.nextAttemptAt! });
    expect(await prisma.webhookReceipt.findFirstOrThrow()).toMatchObject({ status: "processed" });
    expect((await prisma.trackingEvent.findMany()).map((event) => event.eventKey)).toEqual(["in_transit"]);
  });

  it("Shopify's documented placed_on_hold payload (a fulfillment order GID, no order id) gives Order On Hold once", async () => {
    order.fulfillments = [];
    (order as Record<string, unknown>).fulfillmentOrders = [
      { id: "gid://shopify/FulfillmentOrder/1", status: "ON_HOLD" },
    ];
    const hold = shopifyFixtureText("fulfillment_orders_placed_on_hold");
    expect(hold).not.toContain("order_id");
    for (let delivery = 0; delivery < 2; delivery++) {
      const accepted = await receiveWebhook(
        signedWebhookRequest("https://waypost.test/webhooks", {
          topic: "fulfillment_orders/placed_on_hold",
          body: hold,
        }),
      );
      expect(accepted.httpStatus).toBe(200);
      await processPendingReceipts();
    }
    while ((await sendDueEvents()).sent > 0);

    expect(double.state.events.map((event) => event.metric)).toEqual(["Order On Hold"]);
    expect(double.state.events[0].profile).toMatchObject({ email: "mia.klein@example.com" });
    expect(double.state.events[0].properties).toMatchObject({ order_id: String(ORDER_ID), order_name: "#1042" });
    const receipts = await prisma.webhookReceipt.findMany({ orderBy: { receivedAt: "asc" } });
    expect(receipts.map((receipt) => receipt.status)).toEqual(["processed", "processed"]);
    expect(receipts[1].outcome).toMatch(/already recorded/);
  });

  it("a hold on a fulfillment order Shopify does not know is ignored with the reason", async () => {
    await receiveWebhook(
      signedWebhookRequest("https://waypost.test/webhooks", {
        topic: "fulfillment_orders/placed_on_hold",
        body: shopifyFixtureText("fulfillment_orders_placed_on_hold"),
      }),
    );
    await processPendingReceipts();
    expect(await prisma.webhookReceipt.findFirstOrThrow()).toMatchObject({
      status: "ignored",
      ignoredReason: "Shopify has no fulfillment order gid://shopify/FulfillmentOrder/1",
    });
  });
});
