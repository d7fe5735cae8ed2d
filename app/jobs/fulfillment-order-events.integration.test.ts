import { beforeEach, describe, expect, it } from "vitest";
import { resetDatabase, seedShop, useKlaviyoDouble, useShopifyAdminDouble } from "../../e2e/support/integration";
import { shopifyFixtureText } from "../../e2e/support/shopify-payloads";
import { signedWebhookRequest } from "../../e2e/support/webhook-signer";
import { prisma } from "../db.server";
import { receiveWebhook } from "../platform/webhook-ingest.server";
import { sendDueEvents } from "./event-sender.server";
import { processPendingReceipts } from "./receipt-worker.server";

const double = useKlaviyoDouble();
const shopify = useShopifyAdminDouble();
const DAY = 24 * 60 * 60_000;

/**
 * An order at Shopify (schema field names) whose one fulfillment order is gid://shopify/FulfillmentOrder/1,
 * the GID every documented fulfillment_orders/* sample names. Placed before install, so reading it
 * from Shopify adds no event of its own.
 */
function orderAtShopify(installedAt: number, displayFinancialStatus: string) {
  const placedAt = new Date(installedAt - DAY).toISOString();
  return {
    id: "gid://shopify/Order/5001",
    name: "#1042",
    email: "mia.klein@example.com",
    phone: null,
    createdAt: placedAt,
    updatedAt: placedAt,
    cancelledAt: null,
    displayFinancialStatus,
    currencyCode: "EUR",
    totalPriceSet: { shopMoney: { amount: "71.90", currencyCode: "EUR" } },
    customer: { id: "gid://shopify/Customer/9", firstName: "Mia", lastName: "Klein" },
    billingAddress: null,
    shippingAddress: { firstName: "Mia", lastName: "Klein", company: null, phone: null, countryCodeV2: "DE" },
    lineItems: [],
    fulfillments: [],
    fulfillmentOrders: [{ id: "gid://shopify/FulfillmentOrder/1", status: "OPEN" }],
  };
}

let installedAt: number;
beforeEach(async () => {
  await resetDatabase();
  installedAt = (await seedShop({ connected: true, goLive: true })).installedAt.getTime();
  shopify.state.orders = [orderAtShopify(installedAt, "PAID")];
});

/** Shopify sends the topic's documented sample (twice when asked: Shopify delivers at least once). */
async function shopifySends(topic: string, times = 1) {
  for (let delivery = 0; delivery < times; delivery++) {
    const accepted = await receiveWebhook(
      signedWebhookRequest("https://waypost.test/webhooks", {
        topic,
        body: shopifyFixtureText(topic.replace("/", "_")),
      }),
    );
    expect(accepted.httpStatus).toBe(200);
    await processPendingReceipts();
  }
  return prisma.webhookReceipt.findFirstOrThrow({ where: { topic }, orderBy: { receivedAt: "desc" } });
}

async function sentMetrics() {
  while ((await sendDueEvents()).sent > 0);
  return double.state.events.map((event) => event.metric);
}

describe("the seeds' order states from Shopify's documented fulfillment_orders/* payloads", () => {
  it("routing, a hold and its release, a warehouse's progress and a pickup each fire once; a cancellation is only noted", async () => {
    await shopifySends("fulfillment_orders/order_routing_complete", 2);
    await shopifySends("fulfillment_orders/placed_on_hold");
    await shopifySends("fulfillment_orders/hold_released", 2);
    await shopifySends("fulfillment_orders/fulfillment_request_accepted", 2);
    await shopifySends("fulfillment_orders/progress_reported");
    const cancelled = await shopifySends("fulfillment_orders/cancelled");
    await shopifySends("fulfillment_orders/line_items_prepared_for_pickup", 2);

    expect(await sentMetrics()).toEqual([
      "Order Awaiting Shipment",
      "Order On Hold",
      "Order Awaiting Shipment",
      "Order Processing",
      "Ready for Pickup",
    ]);
    for (const event of double.state.events) {
      expect(event.profile).toMatchObject({ email: "mia.klein@example.com" });
      expect(event.properties).toMatchObject({ order_id: "5001", order_name: "#1042" });
    }
    expect(double.state.events[0].properties).toMatchObject({ status: "open" });
    expect(double.state.events[3].properties).toMatchObject({ status: "in_progress" });
    expect(new Set(double.state.events.map((event) => event.uniqueId)).size).toBe(5);

    expect(cancelled).toMatchObject({
      status: "processed",
      outcome:
        "fulfillment order gid://shopify/FulfillmentOrder/1 of order #1042 was cancelled, replaced by " +
        "gid://shopify/FulfillmentOrder/2 (open); no customer event (a cancelled order sends Order Cancelled)",
    });
    const receipts = await prisma.webhookReceipt.findMany({ orderBy: { receivedAt: "asc" } });
    expect(receipts.every((receipt) => receipt.status === "processed")).toBe(true);
    expect(receipts[1].outcome).toMatch(/already recorded/);
  });

  it("an order still to be paid is not awaiting shipment when routed, and Activity says why", async () => {
    shopify.state.orders = [orderAtShopify(installedAt, "PENDING")];
    const routed = await shopifySends("fulfillment_orders/order_routing_complete");
    expect(routed).toMatchObject({
      status: "processed",
      outcome: "no Order Awaiting Shipment: the order is not paid (pending) (order #1042 read from Shopify)",
    });
    expect(await sentMetrics()).toEqual([]);
  });

  it("a fulfillment order Shopify does not know is ignored with the reason", async () => {
    shopify.state.orders = [];
    const accepted = await shopifySends("fulfillment_orders/fulfillment_request_accepted");
    expect(accepted).toMatchObject({
      status: "ignored",
      ignoredReason: "Shopify has no fulfillment order gid://shopify/FulfillmentOrder/1",
    });
  });
});
