import { describe, expect, it } from "vitest";
import { shopifyFixtureText } from "../../e2e/support/shopify-payloads";
import { parseWebhookJson } from "../platform/webhook-json";
import { normalizeFulfillment, normalizeFulfillmentEvent, normalizeOrder } from "./normalize";

const fixture = (name: string) => parseWebhookJson(shopifyFixtureText(name)) as Record<string, unknown>;

describe("normalizeOrder", () => {
  it("reads Shopify's paid order sample: ids exact, contact, money and line items", () => {
    const order = normalizeOrder(fixture("orders_paid.derived_paid_open"));
    expect(order.ok).toBe(true);
    if (!order.ok) return;
    expect(order.value).toMatchObject({
      id: "820982911946154500",
      name: "#9999",
      number: "1234",
      currency: "USD",
      totalPrice: 404.95,
      financialStatus: "paid",
      cancelledAt: null,
      createdAt: "2022-01-01T00:00:00.000Z",
      contact: {
        email: "jon@example.com",
        firstName: "John",
        lastName: "Smith",
        company: "Shipping Company",
        phone: "555-555-SHIP",
      },
    });
    expect(order.value.lineItems[0]).toEqual({
      id: "487817672276298560",
      title: "Aviator sunglasses",
      variantTitle: null,
      sku: "SKU2006-001",
      quantity: 1,
      price: 89.99,
      productId: "788032119674292900",
      variantId: null,
    });
  });

  it("reads the cancelled order sample's cancellation time", () => {
    const order = normalizeOrder(fixture("orders_cancelled"));
    expect(order.ok && order.value.cancelledAt).toBe("2022-01-01T00:00:00.000Z");
  });

  it("reads phone numbers in the shipping address's country, else the billing address's, else the store's", () => {
    const sample = fixture("orders_create");
    const countryOf = (payload: Record<string, unknown>, store = {}) => {
      const order = normalizeOrder(payload, store);
      return order.ok ? order.value.contact.country : "unusable";
    };
    const billingIn = (code: string | null) => ({ ...(sample.billing_address as object), country_code: code });
    const shippingIn = (code: string | null) => ({ ...(sample.shipping_address as object), country_code: code });
    expect(countryOf({ ...sample, shipping_address: shippingIn("GB"), billing_address: billingIn("DE") })).toBe("GB");
    expect(countryOf({ ...sample, shipping_address: null, billing_address: billingIn("de") })).toBe("DE");
    expect(countryOf({ ...sample, shipping_address: shippingIn(null), billing_address: null }, { country: "JP" })).toBe(
      "JP",
    );
    expect(countryOf({ ...sample, shipping_address: null, billing_address: null })).toBeNull();
    // The documented sample ships to the US; a store elsewhere does not change that.
    expect(countryOf(sample, { country: "FR" })).toBe("US");
  });

  it("reads the customer's GID, as Shopify sends it or from an id above 2^53 read exactly", () => {
    const sample = normalizeOrder(fixture("orders_paid"));
    expect(sample.ok && sample.value.contact.customerId).toBe("gid://shopify/Customer/115310627314723954");
    const numeric = normalizeOrder(parseWebhookJson('{"id":1,"customer":{"id":115310627314723954}}'));
    expect(numeric.ok && numeric.value.contact.customerId).toBe("gid://shopify/Customer/115310627314723954");
    const guest = normalizeOrder({ id: 1, customer: null });
    expect(guest.ok && guest.value.contact.customerId).toBeNull();
  });

  it("refuses a payload without an id instead of inventing one", () => {
    expect(normalizeOrder({ name: "#1" })).toEqual({ ok: false, reason: "order payload has no id" });
  });
});

describe("normalizeFulfillment", () => {
  it("reads a fulfillment in transit: carrier, tracking numbers and URLs, line items", () => {
    const shipment = normalizeFulfillment(fixture("fulfillments_update.derived_in_transit"));
    expect(shipment.ok).toBe(true);
    if (!shipment.ok) return;
    expect(shipment.value).toMatchObject({
      fulfillmentId: "123456",
      orderId: "820982911946154500",
      status: "success",
      shipmentStatus: "in_transit",
      carrier: "UPS",
      trackingNumbers: ["1z827wk74630"],
      trackingUrls: ["https://www.ups.com/WebTracking?loc=en_US&requester=ST&trackNums=1z827wk74630"],
      happenedAt: "2022-01-02T15:15:00.000Z",
    });
    expect(shipment.value.lineItems.length).toBeGreaterThan(0);
  });
});

describe("normalizeFulfillmentEvent", () => {
  it("reads a delivered scan with its time, place and estimated delivery", () => {
    const scan = normalizeFulfillmentEvent(fixture("fulfillment_events_create.derived_delivered"));
    expect(scan).toEqual({
      ok: true,
      value: {
        eventId: "1234568",
        fulfillmentId: "123456",
        orderId: "820982911946154500",
        status: "delivered",
        message: "Delivered, front door",
        happenedAt: "2022-01-03T19:02:00.000Z",
        estimatedDeliveryAt: "2022-01-03T22:00:00.000Z",
        location: "Ottawa, Ontario, CA",
      },
    });
  });
});

describe("normalization never throws", () => {
  const samples = [
    "orders_create",
    "orders_paid.derived_paid_open",
    "fulfillments_update.derived_in_transit",
    "fulfillment_events_create.derived_delivered",
  ];
  const normalizers = [normalizeOrder, normalizeFulfillment, normalizeFulfillmentEvent];
  const oddValues = [
    null,
    undefined,
    0,
    "",
    "text",
    [],
    {},
    [1, 2],
    { id: {} },
    { id: null, order_id: [] },
    { line_items: "x" },
  ];

  it("survives odd values of every type", () => {
    for (const normalize of normalizers) for (const value of oddValues) expect(() => normalize(value)).not.toThrow();
  });

  it("survives every sample with any one field removed or replaced by a wrong type", () => {
    for (const name of samples) {
      const base = fixture(name);
      for (const key of Object.keys(base)) {
        for (const replacement of [undefined, null, 42, "x", [], { nested: true }]) {
          const mutated = { ...base, [key]: replacement };
          for (const normalize of normalizers) expect(() => normalize(mutated)).not.toThrow();
        }
      }
    }
  });
});
