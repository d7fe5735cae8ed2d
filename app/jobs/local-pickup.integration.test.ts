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
// The order and fulfillment Shopify's documented fulfillments/create sample names.
const ORDER_GID = "gid://shopify/Order/820982911946154500";
const FULFILLMENT_GID = "gid://shopify/Fulfillment/123456";

/** The order at Shopify (schema field names), its one fulfillment order delivered by `methodType`. */
function orderAtShopify(installedAt: number, methodType: string) {
  const placedAt = new Date(installedAt - DAY).toISOString();
  return {
    id: ORDER_GID,
    name: "#9999",
    email: "jon@example.com",
    createdAt: placedAt,
    updatedAt: placedAt,
    displayFinancialStatus: "PAID",
    currencyCode: "USD",
    totalPriceSet: { shopMoney: { amount: "10.00", currencyCode: "USD" } },
    lineItems: [],
    fulfillments: [] as object[],
    fulfillmentOrders: [{ id: "gid://shopify/FulfillmentOrder/1", status: "OPEN", deliveryMethod: { methodType } }],
  };
}

/** Shopify's documented fulfillments/create sample as a fulfillment with no carrier and no tracking (the sample's own fields, emptied). */
const untrackedFulfillment = () =>
  JSON.stringify({
    ...JSON.parse(shopifyFixtureText("fulfillments_create")),
    status: "success",
    tracking_company: null,
    tracking_number: null,
    tracking_numbers: [],
    tracking_url: null,
    tracking_urls: [],
  });

let order: ReturnType<typeof orderAtShopify>;
let installedAt: number;
beforeEach(async () => {
  await resetDatabase();
  installedAt = (await seedShop({ connected: true, goLive: true })).installedAt.getTime();
  order = orderAtShopify(installedAt, "PICK_UP");
  shopify.state.orders = [order];
});

async function shopifySends(topic: string, body: string) {
  const accepted = await receiveWebhook(signedWebhookRequest("https://waypost.test/webhooks", { topic, body }));
  expect(accepted.httpStatus).toBe(200);
  await processPendingReceipts();
}

/** The merchant marks the order picked up: Shopify makes a fulfillment of the pickup fulfillment order. */
function collectedAtShopify(displayStatus = "PICKED_UP") {
  const at = new Date(installedAt + DAY).toISOString();
  order.fulfillments.push({
    id: FULFILLMENT_GID,
    status: "SUCCESS",
    displayStatus,
    createdAt: at,
    updatedAt: at,
    trackingInfo: [],
    fulfillmentLineItems: [],
    events: [],
    fulfillmentOrders: order.fulfillmentOrders,
  });
}

async function sentMetrics() {
  while ((await sendDueEvents()).sent > 0);
  return double.state.events.map((event) => event.metric);
}

describe("local pickup is not a shipment", () => {
  it("Ready for Pickup when prepared, Delivered when collected, never Order Shipped; Shopify is asked once", async () => {
    await shopifySends(
      "fulfillment_orders/line_items_prepared_for_pickup",
      shopifyFixtureText("fulfillment_orders_line_items_prepared_for_pickup"),
    );
    collectedAtShopify();
    const asked = shopify.state.requests;
    await shopifySends("fulfillments/create", untrackedFulfillment());
    expect(shopify.state.requests).toBe(asked + 1);
    await shopifySends("fulfillments/update", untrackedFulfillment());
    expect(shopify.state.requests).toBe(asked + 1);

    expect(await sentMetrics()).toEqual(["Ready for Pickup", "Delivered"]);
    const shipment = await prisma.trackedShipment.findFirstOrThrow();
    // Nothing was shipped: a collected pickup adds no days to the customer's average days to deliver.
    expect(shipment).toMatchObject({ milestone: "delivered", shippedAt: null });
    expect(shipment.deliveredAt).toBeInstanceOf(Date);
  });

  it("a pickup collected before Waypost saw its order is read from Shopify as Delivered, not shipped", async () => {
    collectedAtShopify();
    await shopifySends("fulfillments/create", untrackedFulfillment());
    expect(await sentMetrics()).toEqual(["Delivered"]);
  });

  it("a shipped fulfillment with no tracking is still Order Shipped", async () => {
    order.fulfillmentOrders[0].deliveryMethod.methodType = "SHIPPING";
    collectedAtShopify("FULFILLED");
    await shopifySends("fulfillments/create", untrackedFulfillment());
    expect(await sentMetrics()).toEqual(["Order Shipped"]);
  });

  it("a fulfillment with a carrier's tracking is a shipment, and Shopify is not asked about it", async () => {
    await shopifySends("orders/create", shopifyFixtureText("orders_paid.derived_paid_open"));
    const asked = shopify.state.requests;
    const tracked = JSON.stringify({ ...JSON.parse(shopifyFixtureText("fulfillments_create")), status: "success" });
    await shopifySends("fulfillments/create", tracked);
    expect(shopify.state.requests).toBe(asked);
    expect((await prisma.trackingEvent.findMany()).map((event) => event.eventKey)).toContain("order_shipped");
  });
});
