import { describe, expect, it } from "vitest";
import { advance, eventForMilestone, milestoneForShopifyStatus, type Milestone } from "./shipment-milestones";

describe("shipment milestones", () => {
  it.each([
    ["label_printed", "label_created"],
    ["label_purchased", "label_created"],
    ["confirmed", "label_created"],
    ["carrier_picked_up", "in_transit"],
    ["in_transit", "in_transit"],
    ["out_for_delivery", "out_for_delivery"],
    ["attempted_delivery", "attempted_delivery"],
    ["ready_for_pickup", "ready_for_pickup"],
    ["picked_up", "delivered"],
    ["delivered", "delivered"],
    ["failure", "delivery_failed"],
  ])("reads Shopify's %s as %s", (status, milestone) => {
    expect(milestoneForShopifyStatus(status)).toBe(milestone);
  });

  it("ignores statuses that say nothing about where the parcel is", () => {
    expect(milestoneForShopifyStatus(null)).toBeUndefined();
    expect(milestoneForShopifyStatus("something_new")).toBeUndefined();
  });

  it("never regresses a delivered shipment to in transit", () => {
    expect(advance("delivered", "in_transit")).toBe("delivered");
    expect(advance("out_for_delivery", "label_created")).toBe("out_for_delivery");
  });

  it("moves forward, skipping milestones the carrier never reported", () => {
    expect(advance(null, "label_created")).toBe("label_created");
    expect(advance("label_created", "delivered")).toBe("delivered");
    expect(advance("in_transit", undefined)).toBe("in_transit");
  });

  it("lets a failed delivery still end delivered, but nothing follows delivered", () => {
    expect(advance("delivery_failed", "delivered")).toBe("delivered");
    expect(advance("delivered", "delivery_failed")).toBe("delivered");
    expect(advance("delivery_failed", "in_transit")).toBe("delivery_failed");
  });

  it("names the Klaviyo event for each milestone", () => {
    const events = (["label_created", "in_transit", "out_for_delivery", "delivered"] as Milestone[]).map(
      eventForMilestone,
    );
    expect(events).toEqual(["order_shipped", "in_transit", "out_for_delivery", "delivered"]);
  });
});
