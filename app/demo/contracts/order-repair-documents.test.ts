import { describe, expect, it } from "vitest";
import { adminSchema, deprecatedFieldsUsed, validateAdminDocument } from "./shopify-admin-schema.server";
import { MAX_SINGLE_QUERY_COST, requestedCost } from "./shopify-query-cost";
import { FULFILLMENT_ORDER_QUERY, ORDER_FOR_REPAIR_QUERY } from "../../platform/order-repair";

describe("the documents a repair sends to Shopify", () => {
  it.each([
    ["OrderForRepair", ORDER_FOR_REPAIR_QUERY, { id: "gid://shopify/Order/1" }],
    ["FulfillmentOrderOrder", FULFILLMENT_ORDER_QUERY, { id: "gid://shopify/FulfillmentOrder/1" }],
  ])(
    "%s validates against the 2026-07 schema, uses nothing deprecated and fits Shopify's cost limit",
    (_name, document, variables) => {
      expect(validateAdminDocument(document)).toEqual([]);
      expect(deprecatedFieldsUsed(document)).toEqual([]);
      const cost = requestedCost(adminSchema(), document, variables);
      expect(cost).toBeLessThanOrEqual(MAX_SINGLE_QUERY_COST);
      expect(cost).toBe(_name === "OrderForRepair" ? 600 : 2);
    },
  );
});
