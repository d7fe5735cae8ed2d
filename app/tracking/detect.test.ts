import { describe, expect, it } from "vitest";
import { detectOrderEvents, detectShipmentEvent, type ShipmentObservation } from "./detect";
import { sampleOrder } from "../../e2e/support/sample-order";
import type { Milestone } from "./shipment-milestones";

const SHOP = "test-shop.myshopify.com";
const order = sampleOrder;

describe("order events", () => {
  it("a paid order brings Placed Order and one Ordered Product per line item", () => {
    expect(detectOrderEvents(SHOP, order()).map((d) => d.uniqueKey)).toEqual([
      "test-shop.myshopify.com:1001:order:placed_order",
      "test-shop.myshopify.com:1001:line-11:ordered_product",
      "test-shop.myshopify.com:1001:line-12:ordered_product",
    ]);
  });

  it("an unpaid order also brings Order Awaiting Payment", () => {
    expect(detectOrderEvents(SHOP, order({ financialStatus: "pending" })).map((d) => d.eventKey)).toContain(
      "order_awaiting_payment",
    );
  });

  it.each([
    ["pending", true],
    ["partially_paid", true],
    ["authorized", false],
    ["paid", false],
    ["partially_refunded", false],
    ["refunded", false],
    ["voided", false],
    [null, false],
  ])("financial status %s is awaiting the customer's payment: %s", (financialStatus, awaiting) => {
    const keys = detectOrderEvents(SHOP, order({ financialStatus })).map((d) => d.eventKey);
    expect(keys.includes("order_awaiting_payment")).toBe(awaiting);
  });

  it("a cancelled order brings Order Cancelled, timed at the cancellation, and no Awaiting Payment", () => {
    const detections = detectOrderEvents(
      SHOP,
      order({ financialStatus: "pending", cancelledAt: "2026-11-21T09:00:00.000Z" }),
    );
    expect(detections.find((d) => d.eventKey === "order_cancelled")?.happenedAt).toBe("2026-11-21T09:00:00.000Z");
    expect(detections.map((d) => d.eventKey)).not.toContain("order_awaiting_payment");
  });

  it("gives the same keys however often the same order arrives", () => {
    expect(detectOrderEvents(SHOP, order())).toEqual(
      detectOrderEvents(SHOP, order({ updatedAt: "2026-11-22T00:00:00.000Z" })),
    );
  });
});

describe("shipment events", () => {
  const observe = (shopifyStatus: string | null, fulfillmentId = "77", fulfilled = true): ShipmentObservation => ({
    orderId: "1001",
    fulfillmentId,
    shopifyStatus,
    fulfilled,
    happenedAt: "2026-11-22T12:00:00.000Z",
  });

  /** Runs a sequence of observations through one shipment, as webhooks would arrive. */
  function run(statuses: Array<string | null>, start: Milestone | null = null) {
    let milestone = start;
    const events: string[] = [];
    for (const status of statuses) {
      const result = detectShipmentEvent(SHOP, milestone, observe(status));
      milestone = result.milestone;
      if (result.detection) events.push(result.detection.eventKey);
    }
    return { milestone, events };
  }

  it.each([
    [
      [null, "in_transit", "out_for_delivery", "delivered"],
      ["order_shipped", "in_transit", "out_for_delivery", "delivered"],
    ],
    [["label_printed", "label_purchased", "confirmed"], ["order_shipped"]],
    [
      ["in_transit", "attempted_delivery", "delivered"],
      ["in_transit", "attempted_delivery", "delivered"],
    ],
    [
      ["ready_for_pickup", "picked_up"],
      ["ready_for_pickup", "delivered"],
    ],
    [
      ["in_transit", "failure", "delivered"],
      ["in_transit", "delivery_failed", "delivered"],
    ],
  ])("the path %j sends %j", (statuses, expected) => {
    expect(run(statuses).events).toEqual(expected);
  });

  it("sends nothing for duplicates of the same status", () => {
    expect(run(["in_transit", "in_transit", "in_transit"]).events).toEqual(["in_transit"]);
  });

  it("never regresses a delivered shipment to in transit, and sends nothing for late scans", () => {
    expect(run(["in_transit", "out_for_delivery"], "delivered")).toEqual({ milestone: "delivered", events: [] });
  });

  it("keeps each fulfillment of a partially fulfilled order apart", () => {
    const first = detectShipmentEvent(SHOP, null, observe("in_transit", "77"));
    const second = detectShipmentEvent(SHOP, null, observe("in_transit", "78"));
    expect(first.detection?.uniqueKey).toBe("test-shop.myshopify.com:1001:77:in_transit");
    expect(second.detection?.uniqueKey).toBe("test-shop.myshopify.com:1001:78:in_transit");
  });

  it("a collected local pickup is Delivered, never Order Shipped, and a repeat of it sends nothing", () => {
    const pickup = { ...observe(null), localPickup: true };
    const collected = detectShipmentEvent(SHOP, null, pickup);
    expect(collected).toMatchObject({ milestone: "delivered", detection: { eventKey: "delivered" } });
    expect(detectShipmentEvent(SHOP, "delivered", pickup)).toEqual({ milestone: "delivered", detection: null });
    expect(detectShipmentEvent(SHOP, null, { ...observe(null), localPickup: false }).detection?.eventKey).toBe(
      "order_shipped",
    );
  });

  it("sends nothing for a fulfillment that has not shipped and has no carrier status", () => {
    expect(detectShipmentEvent(SHOP, null, observe(null, "77", false))).toEqual({ milestone: null, detection: null });
  });
});
