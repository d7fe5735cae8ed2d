import { describe, expect, it } from "vitest";
import { ORDER_COUNT_QUERY, ORDER_HISTORY_QUERY } from "../../platform/order-history";
import { APP_LIFECYCLE_TOPICS, COMPLIANCE_TOPICS, TRACKING_TOPICS } from "../../platform/webhook-topics";
import { adminSchema, deprecatedFieldsUsed, validateAdminDocument, webhookTopics } from "./shopify-admin-schema.server";

describe("Shopify's Admin API 2026-07 schema, vendored", () => {
  it("loads once and is Shopify's (QueryRoot, Mutation)", () => {
    expect(adminSchema()).toBe(adminSchema());
    expect(adminSchema().getQueryType()?.name).toBe("QueryRoot");
    expect(adminSchema().getMutationType()?.name).toBe("Mutation");
  });

  it("accepts Waypost's history and count queries", () => {
    expect(validateAdminDocument(ORDER_HISTORY_QUERY)).toEqual([]);
    expect(validateAdminDocument(ORDER_COUNT_QUERY)).toEqual([]);
  });

  it("refuses a field the schema does not have, a wrong argument and bad syntax", () => {
    expect(validateAdminDocument("{ shop { name timezone } }").map((e) => e.message)).toEqual([
      'Cannot query field "timezone" on type "Shop". Did you mean "ianaTimezone"?',
    ]);
    expect(validateAdminDocument("{ orders(count: 5) { nodes { id } } }").map((e) => e.message)).toEqual([
      'Unknown argument "count" on field "QueryRoot.orders".',
    ]);
    const [syntax] = validateAdminDocument("{ shop { name }");
    expect(syntax.message).toMatch(/^Syntax Error/);
  });

  it("names what a document reads that 2026-07 deprecates (issue #14: Customer.email and .phone)", () => {
    expect(deprecatedFieldsUsed("{ customer(id: 1) { email phone } }")).toEqual([
      { coordinate: "Customer.email", reason: "Use `defaultEmailAddress.emailAddress` instead." },
      { coordinate: "Customer.phone", reason: "Use `defaultPhoneNumber.phoneNumber` instead." },
    ]);
    expect(deprecatedFieldsUsed(ORDER_HISTORY_QUERY)).toEqual([]);
    expect(deprecatedFieldsUsed("{ shop { name ianaTimezone } }")).toEqual([]);
  });

  it("lists the webhook topics, and every topic Waypost subscribes to is one of them", () => {
    const topics = webhookTopics();
    expect(topics).toContain("ORDERS_CREATE");
    const asEnum = (topic: string) => topic.toUpperCase().replace(/\//g, "_");
    for (const topic of [...TRACKING_TOPICS, ...APP_LIFECYCLE_TOPICS]) expect(topics, topic).toContain(asEnum(topic));
    // The privacy topics are configured in the app, not subscribed through the API.
    for (const topic of COMPLIANCE_TOPICS) expect(topics).not.toContain(asEnum(topic));
  });
});
