import { describe, expect, it } from "vitest";
import { shopifyFixtureText } from "../../e2e/support/shopify-payloads";
import { fulfillmentOrderOutcome, readFulfillmentOrder, type FulfillmentOrderChange } from "./fulfillment-orders";
import type { NormalizedOrder } from "./normalize";

const paidOrder: NormalizedOrder = {
  id: "5001",
  name: "#1042",
  number: "1042",
  contact: { email: "mia@example.com", phone: null, firstName: "Mia", lastName: null, company: null, country: "DE" },
  currency: "EUR",
  totalPrice: 71.9,
  financialStatus: "paid",
  fulfillmentStatus: null,
  cancelledAt: null,
  createdAt: "2026-11-30T10:00:00.000Z",
  updatedAt: "2026-11-30T10:00:00.000Z",
  lineItems: [],
};

/** Shopify's documented sample for fulfillment_orders/<change>, with the order id the receipt worker fills in. */
function documented(change: FulfillmentOrderChange) {
  const payload = JSON.parse(shopifyFixtureText(`fulfillment_orders_${change}`));
  payload.fulfillment_order.order_id = paidOrder.id;
  return readFulfillmentOrder(payload)!;
}

const outcomeOf = (change: FulfillmentOrderChange, order: Partial<NormalizedOrder> = {}) =>
  fulfillmentOrderOutcome(change, documented(change), { ...paidOrder, ...order });

describe("what a fulfillment order's change means for its customer", () => {
  it("reads Shopify's documented payloads: the GID, its status, the delivery method and the replacement", () => {
    expect(documented("fulfillment_request_accepted")).toMatchObject({
      id: "gid://shopify/FulfillmentOrder/1",
      status: "in_progress",
    });
    expect(documented("line_items_prepared_for_pickup").deliveryMethod).toBe("pickup");
    expect(documented("cancelled").replacement).toEqual({ id: "gid://shopify/FulfillmentOrder/2", status: "open" });
    expect(readFulfillmentOrder(JSON.parse(shopifyFixtureText("fulfillment_orders_hold_released")))).toBeNull();
  });

  it("a paid order routed to its location is awaiting shipment, once per order", () => {
    expect(outcomeOf("order_routing_complete")).toEqual({ eventKey: "order_awaiting_shipment", scope: "routed" });
    expect(outcomeOf("order_routing_complete", { financialStatus: "authorized" })).toMatchObject({
      eventKey: "order_awaiting_shipment",
    });
  });

  it("a released hold makes the order awaiting shipment again, once per fulfillment order", () => {
    expect(outcomeOf("hold_released")).toEqual({
      eventKey: "order_awaiting_shipment",
      scope: "released-gid://shopify/FulfillmentOrder/1",
    });
  });

  it("an unpaid, cancelled or fulfilled order is not awaiting shipment, and says why", () => {
    expect(outcomeOf("order_routing_complete", { financialStatus: "pending" })).toEqual({
      none: "no Order Awaiting Shipment: the order is not paid (pending)",
    });
    expect(outcomeOf("hold_released", { cancelledAt: "2026-11-30T11:00:00.000Z" })).toEqual({
      none: "no Order Awaiting Shipment: the order is cancelled",
    });
    expect(outcomeOf("hold_released", { fulfillmentStatus: "fulfilled" })).toEqual({
      none: "no Order Awaiting Shipment: the order is already fulfilled",
    });
    const stillHeld = { ...documented("hold_released"), status: "on_hold" };
    expect(fulfillmentOrderOutcome("hold_released", stillHeld, paidOrder)).toEqual({
      none: "no Order Awaiting Shipment: its fulfillment order is on_hold",
    });
  });

  it("a fulfillment service accepting or reporting progress is Order Processing, once per order", () => {
    const processing = { eventKey: "order_processing", scope: "processing" };
    expect(outcomeOf("fulfillment_request_accepted")).toEqual(processing);
    expect(outcomeOf("progress_reported")).toEqual(processing);
  });

  it("a local pickup prepared for collection is Ready for Pickup; local delivery is not", () => {
    expect(outcomeOf("line_items_prepared_for_pickup")).toEqual({
      eventKey: "ready_for_pickup",
      scope: "pickup-gid://shopify/FulfillmentOrder/1",
    });
    const local = { ...documented("line_items_prepared_for_pickup"), deliveryMethod: "local" };
    expect(fulfillmentOrderOutcome("line_items_prepared_for_pickup", local, paidOrder)).toEqual({
      none: "no Ready for Pickup: the delivery method is local",
    });
  });

  it("a cancelled fulfillment order brings no customer event, and says what happened", () => {
    expect(outcomeOf("cancelled")).toEqual({
      none:
        "fulfillment order gid://shopify/FulfillmentOrder/1 of order #1042 was cancelled, replaced by " +
        "gid://shopify/FulfillmentOrder/2 (open); no customer event (a cancelled order sends Order Cancelled)",
    });
  });

  it("a hold keeps its unique key (once per fulfillment order)", () => {
    expect(outcomeOf("placed_on_hold")).toEqual({
      eventKey: "order_on_hold",
      scope: "hold-gid://shopify/FulfillmentOrder/1",
    });
  });
});
