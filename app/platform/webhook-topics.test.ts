import { describe, expect, it } from "vitest";
import { isComplianceTopic, isKnownTopic, normalizeTopic, orderIdOf } from "./webhook-topics";

describe("webhook topics", () => {
  it("reads both Shopify's header form and the library's upper-case form", () => {
    expect(normalizeTopic("fulfillments/update")).toBe("fulfillments/update");
    expect(normalizeTopic("FULFILLMENTS_UPDATE")).toBe("fulfillments/update");
    expect(normalizeTopic("FULFILLMENT_EVENTS_CREATE")).toBe("fulfillment_events/create");
    expect(normalizeTopic("CUSTOMERS_DATA_REQUEST")).toBe("customers/data_request");
  });

  it("knows the topics Waypost subscribes to and no others", () => {
    expect(isKnownTopic("orders/create")).toBe(true);
    expect(isKnownTopic("shop/redact")).toBe(true);
    expect(isKnownTopic("products/update")).toBe(false);
    expect(isComplianceTopic("customers/redact")).toBe(true);
    expect(isComplianceTopic("app/uninstalled")).toBe(false);
  });

  it("finds the order a webhook is about, whatever its shape", () => {
    expect(orderIdOf("orders/paid", { id: "820982911946154508" })).toBe("820982911946154508");
    expect(orderIdOf("fulfillments/update", { id: 1, order_id: 450789469 })).toBe("450789469");
    expect(orderIdOf("fulfillment_events/create", { order_id: 7 })).toBe("7");
    expect(orderIdOf("fulfillment_orders/placed_on_hold", { fulfillment_order: { order_id: 9 } })).toBe("9");
    expect(orderIdOf("app/uninstalled", { id: 5 })).toBeUndefined();
    expect(orderIdOf("orders/create", null)).toBeUndefined();
  });
});
