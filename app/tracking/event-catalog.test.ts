import { describe, expect, it } from "vitest";
import { EVENT_CATALOG } from "./event-catalog";
import { MILESTONES } from "./shipment-milestones";

describe("the event catalog", () => {
  it("lists every event of the product brief with its exact Klaviyo metric name", () => {
    expect(EVENT_CATALOG.map((event) => event.metric)).toEqual([
      "Placed Order",
      "Ordered Product",
      "Order Awaiting Payment",
      "Order On Hold",
      "Order Awaiting Shipment",
      "Order Processing",
      "Order Cancelled",
      "Order Shipped",
      "In Transit",
      "Out for Delivery",
      "Attempted Delivery",
      "Ready for Pickup",
      "Delivered",
      "Delivery Failed",
      "Shipment Delayed",
      "Active on Site",
      "Viewed Product",
      "Viewed Collection",
      "Searched Site",
      "Added to Cart",
      "Started Checkout",
      "Logged In",
    ]);
  });

  it("has unique keys, a description and a source for each event", () => {
    expect(new Set(EVENT_CATALOG.map((event) => event.key)).size).toBe(EVENT_CATALOG.length);
    for (const event of EVENT_CATALOG) {
      expect(event.description.length).toBeGreaterThan(10);
      expect(event.sources.length).toBeGreaterThan(0);
    }
  });

  it("keeps every storefront event off until the merchant turns it on", () => {
    const storefront = EVENT_CATALOG.filter((event) => event.lifecycle === "storefront");
    expect(storefront).toHaveLength(7);
    for (const event of storefront) expect(event.defaultEnabled).toBe(false);
  });

  it("has an event for every shipment milestone", () => {
    const keys = EVENT_CATALOG.map((event) => event.key as string);
    for (const { event } of MILESTONES) expect(keys).toContain(event);
  });
});
