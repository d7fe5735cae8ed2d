import { describe, expect, it } from "vitest";
import { sampleOrder } from "../../e2e/support/sample-order";
import type { NormalizedShipment } from "../tracking/normalize";
import { buildEventPayload, isWebLink, leftOutOfEvent } from "./event-payload";
import { deliveryStats, profileAttributes } from "./profile";

const order = sampleOrder({
  contact: {
    email: "Ann@Example.com",
    phone: "(415) 555-0199",
    firstName: "Ann",
    lastName: "Lee",
    company: null,
    country: "US",
  },
  currency: "EUR",
});
const shipment: NormalizedShipment = {
  fulfillmentId: "77",
  orderId: "1001",
  status: "success",
  shipmentStatus: "out_for_delivery",
  carrier: "UPS",
  trackingNumbers: ["1Z999"],
  trackingUrls: ["https://ups.example/1Z999"],
  estimatedDeliveryAt: "2026-11-24T18:00:00.000Z",
  shippedAt: "2026-11-22T16:00:00.000Z",
  happenedAt: "2026-11-24T08:15:30.250Z",
  lineItems: [order.lineItems[0]],
};
const store = { name: "Test Shop", domain: "test-shop.myshopify.com" };

describe("Klaviyo event payloads (golden)", () => {
  it("Out for Delivery", () => {
    expect(
      buildEventPayload({
        eventKey: "out_for_delivery",
        uniqueId: "test-shop.myshopify.com:1001:77:out_for_delivery",
        happenedAt: shipment.happenedAt,
        store,
        order,
        shipment,
        status: "out_for_delivery",
        imageUrls: { "6": "https://cdn.example/mug.png" },
        timeZone: "America/New_York",
      }),
    ).toEqual({
      data: {
        type: "event",
        attributes: {
          metric: { data: { type: "metric", attributes: { name: "Out for Delivery" } } },
          profile: {
            data: {
              type: "profile",
              attributes: {
                email: "ann@example.com",
                phone_number: "+14155550199",
                first_name: "Ann",
                last_name: "Lee",
              },
            },
          },
          properties: {
            order_id: "1001",
            order_name: "#1001",
            order_number: "1001",
            store_name: "Test Shop",
            store_domain: "test-shop.myshopify.com",
            status: "out_for_delivery",
            fulfillment_id: "77",
            tracking_number: "1Z999",
            tracking_numbers: ["1Z999"],
            carrier: "UPS",
            tracking_url: "https://ups.example/1Z999",
            estimated_delivery_at: "2026-11-24T18:00:00.000Z",
            estimated_delivery_date: "Tuesday, November 24",
            line_items: [
              {
                title: "Mug",
                variant_title: null,
                sku: "MUG",
                quantity: 2,
                price: 10,
                product_id: "5",
                image_url: "https://cdn.example/mug.png",
              },
            ],
            item_names: ["Mug"],
          },
          time: "2026-11-24T08:15:30Z",
          value: 42.5,
          value_currency: "EUR",
          unique_id: "test-shop.myshopify.com:1001:77:out_for_delivery",
        },
      },
    });
  });

  it("Ordered Product carries its own line item and value", () => {
    const payload = buildEventPayload({
      eventKey: "ordered_product",
      uniqueId: "k",
      happenedAt: order.createdAt,
      store,
      order,
      lineItemId: "11",
    });
    expect(payload?.data.attributes.metric.data.attributes.name).toBe("Ordered Product");
    expect(payload?.data.attributes.properties).toEqual({
      order_id: "1001",
      order_name: "#1001",
      order_number: "1001",
      store_name: "Test Shop",
      store_domain: "test-shop.myshopify.com",
      status: null,
      product_name: "Mug",
      sku: "MUG",
      quantity: 2,
      price: 10,
      product_id: "5",
    });
    expect(payload?.data.attributes.value).toBe(20);
  });

  it("marks history as backfill so it never triggers flows", () => {
    const payload = buildEventPayload({
      eventKey: "delivered",
      uniqueId: "k",
      happenedAt: null,
      store,
      order,
      shipment,
      backfill: true,
    });
    expect(payload?.data.attributes).toMatchObject({ backfill: true });
    expect(payload?.data.attributes).not.toHaveProperty("time");
  });

  it("is not built for an order with no email and no usable phone", () => {
    const unreachable = {
      ...order,
      contact: { email: null, phone: "12", firstName: "Ann", lastName: null, company: null, country: null },
    };
    expect(
      buildEventPayload({ eventKey: "delivered", uniqueId: "k", happenedAt: null, store, order: unreachable }),
    ).toBeUndefined();
  });
});

describe("tracking links", () => {
  it.each([
    ["https://www.ups.com/track?tracknum=1Z999", true],
    ["http://tracking.example/1Z999", true],
    ["HTTPS://WWW.UPS.COM/track", true],
    ["javascript:alert(document.cookie)", false],
    ["JavaScript:alert(1)", false],
    ["data:text/html,<script>alert(1)</script>", false],
    ["ftp://files.example/label.pdf", false],
    ["mailto:support@example.com", false],
    ["1Z999AA10123456784", false],
    ["//cdn.example/track", false],
    ["", false],
  ])("%j is a web link: %s", (url, expected) => {
    expect(isWebLink(url)).toBe(expected);
  });

  it("sends the first web link, and says which ones were left out", () => {
    const input = {
      eventKey: "order_shipped" as const,
      uniqueId: "u",
      happenedAt: null,
      store,
      order,
      shipment: { ...shipment, trackingUrls: ["javascript:alert(1)", "https://ups.example/1Z999"] },
    };
    expect(buildEventPayload(input)!.data.attributes.properties).toMatchObject({
      tracking_url: "https://ups.example/1Z999",
    });
    expect(leftOutOfEvent(input)).toEqual([
      'The tracking link "javascript:alert(1)" is not a web address (http or https), so it was left out.',
    ]);
    const onlyBad = { ...input, shipment: { ...shipment, trackingUrls: ["data:text/html,x"] } };
    expect(buildEventPayload(onlyBad)!.data.attributes.properties).toMatchObject({ tracking_url: null });
  });
});

describe("currency", () => {
  const attributesFor = (currency: string | null, storeCurrency?: string | null) => {
    const input = {
      eventKey: "placed_order" as const,
      uniqueId: "u",
      happenedAt: null,
      store: { ...store, currency: storeCurrency },
      order: { ...order, currency },
    };
    return { attributes: buildEventPayload(input)!.data.attributes, notes: leftOutOfEvent(input) };
  };

  it("comes from the order, whatever the store's is", () => {
    expect(attributesFor("EUR", "CAD").attributes).toMatchObject({ value: 42.5, value_currency: "EUR" });
  });

  it("is the store's when the order does not say", () => {
    expect(attributesFor(null, "CAD").attributes).toMatchObject({ value: 42.5, value_currency: "CAD" });
    expect(attributesFor(null, "CAD").notes).toEqual([]);
  });

  it("is never a default: with neither, the event goes without a value, and says so", () => {
    const { attributes, notes } = attributesFor(null, null);
    expect(attributes).not.toHaveProperty("value");
    expect(attributes).not.toHaveProperty("value_currency");
    expect(notes).toEqual([
      "Neither the order nor the store's details (not read from Shopify yet) say its currency, so the event was sent without a value.",
    ]);
  });
});

describe("profiles", () => {
  it("names a profile by full name, else company, else email", () => {
    const contact = {
      email: "ann@example.com",
      phone: null,
      firstName: null,
      lastName: null,
      company: null,
      country: null,
    };
    expect(profileAttributes({ ...contact, firstName: "Ann", lastName: "Lee" })).toMatchObject({
      first_name: "Ann",
      last_name: "Lee",
    });
    expect(profileAttributes({ ...contact, company: "Acme Ltd", country: null })).toMatchObject({
      first_name: "Acme Ltd",
    });
    expect(profileAttributes(contact)).toMatchObject({ first_name: "ann@example.com" });
  });

  it("identifies by phone alone when there is no email", () => {
    expect(
      profileAttributes({
        email: null,
        phone: "+15005550006",
        firstName: "Ann",
        lastName: null,
        company: null,
        country: null,
      }),
    ).toEqual({
      phone_number: "+15005550006",
      first_name: "Ann",
    });
  });
});

describe("delivery stats", () => {
  const at = (iso: string) => new Date(iso);
  it("counts shipped and delivered orders, the last delivery and the average days to deliver", () => {
    expect(
      deliveryStats([
        { orderId: "1", shippedAt: at("2026-11-01T00:00:00Z"), deliveredAt: at("2026-11-03T00:00:00Z") },
        { orderId: "1", shippedAt: at("2026-11-01T00:00:00Z"), deliveredAt: at("2026-11-04T00:00:00Z") },
        { orderId: "2", shippedAt: at("2026-11-10T00:00:00Z"), deliveredAt: at("2026-11-14T12:00:00Z") },
        { orderId: "3", shippedAt: at("2026-11-20T00:00:00Z"), deliveredAt: null },
      ]),
    ).toEqual({
      waypost_orders_shipped: 3,
      waypost_orders_delivered: 2,
      waypost_last_delivered_at: "2026-11-14T12:00:00.000Z",
      waypost_average_days_to_deliver: 3.2,
    });
  });

  it("measures from the platform's fulfillment time: shipped 36 hours before delivered is 1.5 days", () => {
    expect(
      deliveryStats([{ orderId: "1", shippedAt: at("2026-11-20T09:00:00Z"), deliveredAt: at("2026-11-21T21:00:00Z") }])
        .waypost_average_days_to_deliver,
    ).toBe(1.5);
    // A shipment known only by its scans counts as delivered but is not averaged.
    expect(
      deliveryStats([
        { orderId: "1", shippedAt: null, deliveredAt: at("2026-11-21T21:00:00Z") },
        { orderId: "2", shippedAt: at("2026-11-20T09:00:00Z"), deliveredAt: at("2026-11-22T09:00:00Z") },
      ]),
    ).toMatchObject({ waypost_orders_delivered: 2, waypost_average_days_to_deliver: 2 });
  });

  it("has nothing to average before the first delivery", () => {
    expect(deliveryStats([])).toEqual({
      waypost_orders_shipped: 0,
      waypost_orders_delivered: 0,
      waypost_last_delivered_at: null,
      waypost_average_days_to_deliver: null,
    });
  });
});
