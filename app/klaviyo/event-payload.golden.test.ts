import { describe, expect, it } from "vitest";
import { loggedInEvent, SAMPLE_CLIENT_ID, standardEvent } from "../../e2e/support/pixel-batch";
import type { PixelEventName } from "../platform/pixel-batch";
import { EVENT_CATALOG } from "../tracking/event-catalog";
import type { NormalizedOrder, NormalizedShipment } from "../tracking/normalize";
import { EVENT_OF_PIXEL } from "../tracking/storefront-events";
import { buildEventPayload } from "./event-payload";
import { buildStorefrontPayload } from "./storefront-payload";

// One fixed order and shipment; each event's exact Klaviyo body lives in __golden__/<event>.json.
// A change to any body fails here until the golden file is deliberately updated (vitest -u).
const order: NormalizedOrder = {
  id: "5550001",
  name: "#1042",
  number: "1042",
  contact: {
    email: "ann.lee@example.com",
    phone: "+14155550199",
    firstName: "Ann",
    lastName: "Lee",
    company: null,
    country: null,
  },
  currency: "USD",
  totalPrice: 48.5,
  financialStatus: "paid",
  fulfillmentStatus: "fulfilled",
  cancelledAt: null,
  createdAt: "2026-11-20T15:00:00.000Z",
  updatedAt: "2026-11-20T15:05:00.000Z",
  lineItems: [
    {
      id: "9001",
      title: "Stoneware mug",
      variantTitle: "Blue",
      sku: "MUG-BLU",
      quantity: 2,
      price: 18,
      productId: "701",
      variantId: "801",
    },
    {
      id: "9002",
      title: "Loose-leaf tea",
      variantTitle: null,
      sku: "TEA-01",
      quantity: 1,
      price: 12.5,
      productId: "702",
      variantId: "802",
    },
  ],
};
const shipment: NormalizedShipment = {
  fulfillmentId: "3300001",
  orderId: "5550001",
  status: "success",
  shipmentStatus: "in_transit",
  carrier: "UPS",
  trackingNumbers: ["1Z999AA10123456784"],
  trackingUrls: ["https://www.ups.com/track?tracknum=1Z999AA10123456784"],
  estimatedDeliveryAt: "2026-11-24T22:00:00.000Z",
  shippedAt: "2026-11-21T18:00:00.000Z",
  happenedAt: "2026-11-22T13:00:00.000Z",
  lineItems: order.lineItems,
};

describe("golden Klaviyo payloads", () => {
  for (const event of EVENT_CATALOG.filter((entry) => entry.lifecycle !== "storefront")) {
    it(`${event.metric}`, async () => {
      const payload = buildEventPayload({
        eventKey: event.key,
        uniqueId: `golden-shop.myshopify.com:5550001:${event.lifecycle === "shipment" ? "3300001" : "order"}:${event.key}`,
        happenedAt: event.lifecycle === "shipment" ? "2026-11-22T13:00:00.000Z" : "2026-11-20T15:00:00.000Z",
        store: { name: "Golden Goods", domain: "golden-shop.myshopify.com" },
        order,
        shipment: event.lifecycle === "shipment" ? shipment : null,
        lineItemId: event.key === "ordered_product" ? "9001" : null,
        status: event.lifecycle === "shipment" ? event.key : null,
        timeZone: "America/Los_Angeles",
        extraProperties: event.key === "shipment_delayed" ? { delay_reason: "past_estimated_delivery" } : undefined,
      });
      await expect(JSON.stringify(payload, null, 2) + "\n").toMatchFileSnapshot(`__golden__/${event.key}.json`);
    });
  }
});

// Storefront events from Shopify's standard-event samples (e2e/fixtures/shopify/web-pixels/): a guest
// browsing (anonymous_id only), then known (anonymous_id with email and phone) from the cart on.
describe("golden Klaviyo payloads of storefront events", () => {
  const shop = "golden-shop.myshopify.com";
  const known = new Set(["added_to_cart", "started_checkout", "logged_in"]);
  for (const [name, eventKey] of Object.entries(EVENT_OF_PIXEL) as Array<
    [PixelEventName, (typeof EVENT_OF_PIXEL)[PixelEventName]]
  >) {
    it(`${eventKey}`, async () => {
      const event =
        name === "logged_in" ? loggedInEvent(SAMPLE_CLIENT_ID, "gid://shopify/Customer/1") : standardEvent(name, shop);
      const payload = buildStorefrontPayload({
        eventKey,
        uniqueId: `${shop}:pixel:${event.id}`,
        event,
        clientId: SAMPLE_CLIENT_ID,
        contact: {
          email: known.has(eventKey) ? "ann.lee@example.com" : null,
          phone: known.has(eventKey) ? "+14155550199" : null,
          firstName: known.has(eventKey) ? "Ann" : null,
          lastName: known.has(eventKey) ? "Lee" : null,
          company: null,
          country: "US",
        },
        store: { name: "Golden Goods", domain: shop, currency: "USD" },
      });
      await expect(JSON.stringify(payload, null, 2) + "\n").toMatchFileSnapshot(`__golden__/${eventKey}.json`);
    });
  }
});
