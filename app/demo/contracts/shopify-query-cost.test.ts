import { buildSchema } from "graphql";
import { beforeAll, describe, expect, it } from "vitest";
import {
  HISTORY_DOCUMENT_VARIABLES,
  ORDER_COUNT_QUERY,
  ORDER_HISTORY_QUERY,
  historySearch,
} from "../../platform/order-history";
import { adminSchema } from "./shopify-admin-schema.server";
import { analyzeCost, MAX_SINGLE_QUERY_COST, maxCostExceeded, requestedCost } from "./shopify-query-cost";

// Building Shopify's schema (0.9 MB) takes seconds on a busy machine: once, before the tests time anything.
beforeAll(() => void adminSchema(), 120_000);

// Expectations are worked by hand: object 1, scalar/enum 0, connection 2 + size × (one node),
// interface/union the most expensive possible type, mutation 10.
const cost = (document: string, variables?: Record<string, unknown>) =>
  requestedCost(adminSchema(), document, variables);

describe("requested cost on the Admin API schema", () => {
  it("charges objects 1 and scalars and enums nothing", () => {
    expect(cost("{ shop { name currencyCode ianaTimezone } }")).toBe(1);
    expect(cost("{ shop { name billingAddress { city countryCodeV2 } } }")).toBe(2); // shop 1 + address 1
  });

  it("sizes a connection by first or last: 2 + size × node", () => {
    expect(cost("{ products(first: 10) { nodes { id title } } }")).toBe(12);
    expect(cost("{ orders(last: 3) { nodes { id } } }")).toBe(5);
    // edges { node } is the same page as nodes; pageInfo is inside the connection's 2 points.
    expect(cost("{ products(first: 10) { edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }")).toBe(
      12,
    );
  });

  it("multiplies nested connections", () => {
    // 2 + 10 × (product 1 + variants (2 + 5 × 1))
    expect(cost("{ products(first: 10) { nodes { title variants(first: 5) { nodes { id } } } } }")).toBe(82);
    // 2 + 4 × (order 1 + totalPriceSet 1 + shopMoney 1)
    expect(cost("{ orders(first: 4) { nodes { totalPriceSet { shopMoney { amount } } } } }")).toBe(14);
  });

  it("sizes a list that takes `first` by it, and counts one without it as one object", () => {
    // 2 + 2 × (order 1 + fulfillments 3 × (1 + trackingInfo 4 × 1)) = 2 + 2 × 16
    expect(
      cost("{ orders(first: 2) { nodes { fulfillments(first: 3) { trackingInfo(first: 4) { number } } } } }"),
    ).toBe(34);
    expect(cost("{ orders(first: 2) { nodes { taxLines { title } } } }")).toBe(6); // 2 + 2 × (1 + 1)
  });

  it("reads sizes from variables, their defaults, and the values sent", () => {
    const query = "query Page($n: Int = 7) { products(first: $n) { nodes { id } } }";
    expect(cost(query)).toBe(9);
    expect(cost(query, { n: 4 })).toBe(6);
    expect(cost("query Page($n: Int!) { orders(first: $n) { nodes { id } } }", { n: 25 })).toBe(27);
  });

  it("counts each alias, and a field selected twice (directly and by fragment) once", () => {
    expect(cost("{ a: products(first: 2) { nodes { id } } b: products(first: 3) { nodes { id } } }")).toBe(9);
    const merged =
      "{ shop { billingAddress { city } ...Address } } fragment Address on Shop { billingAddress { country } }";
    expect(cost(merged)).toBe(2);
  });

  it("follows named and inline fragments into connections", () => {
    const query = `
      query { products(first: 2) { nodes { ...Prices } } }
      fragment Prices on Product { id priceRangeV2 { minVariantPrice { amount } } ... on Product { category { name } } }`;
    expect(cost(query)).toBe(10); // 2 + 2 × (product 1 + priceRangeV2 1 + minVariantPrice 1 + category 1)
  });

  it("leaves out what @skip and @include leave out", () => {
    const query = "query ($full: Boolean!) { shop { name billingAddress @include(if: $full) { city } } }";
    expect(cost(query, { full: true })).toBe(2);
    expect(cost(query, { full: false })).toBe(1);
  });

  it("prices an interface as its most expensive possible type", () => {
    expect(cost('{ node(id: "gid://shopify/Order/1") { id } }')).toBe(1);
    expect(
      cost('{ node(id: "gid://shopify/Order/1") { id ... on Order { customer { id } shippingAddress { city } } } }'),
    ).toBe(3);
  });

  it("charges a mutation 10, plus the objects it returns", () => {
    // 10 + userErrors (a list with no size: one object)
    expect(
      cost(
        'mutation { webhookSubscriptionDelete(id: "gid://shopify/WebhookSubscription/1") { deletedWebhookSubscriptionId userErrors { field message } } }',
      ),
    ).toBe(11);
  });

  it("refuses what Shopify refuses before costing: no page size, bad variables, unknown operation", () => {
    expect(() => cost("{ products { nodes { id } } }")).toThrow("you must provide one of first or last");
    expect(() => cost("query ($n: Int!) { products(first: $n) { nodes { id } } }")).toThrow(
      'Variable "$n" of required type "Int!" was not provided.',
    );
    const twoOperations = "query A { shop { name } } query B { shop { id } }";
    expect(analyzeCost(adminSchema(), twoOperations).ok).toBe(false);
    expect(requestedCost(adminSchema(), twoOperations, {}, "B")).toBe(1);
  });

  it("reports each field's share the way Shopify's cost breakdown does", () => {
    const analysis = analyzeCost(
      adminSchema(),
      "{ products(first: 10) { nodes { variants(first: 5) { nodes { id } } } } }",
    );
    expect(analysis.ok && analysis.fields.find((field) => field.path.join(".") === "products")).toEqual({
      path: ["products"],
      definedCost: 2,
      requestedChildrenCost: 80,
      requestedTotalCost: 82,
    });
  });
});

describe("abstract types and mutations on a small schema", () => {
  const schema = buildSchema(`
    interface Parcel { id: ID! }
    type Letter implements Parcel { id: ID! sender: Person }
    type Box implements Parcel { id: ID! sender: Person recipient: Person }
    type Person { name: String }
    union Found = Letter | Person
    type Query { parcel: Parcel found: Found }
    type Mutation { send: Parcel }
  `);

  it("takes the maximum of the possible selections", () => {
    expect(
      requestedCost(
        schema,
        "{ parcel { id ... on Letter { sender { name } } ... on Box { sender { name } recipient { name } } } }",
      ),
    ).toBe(3);
    expect(requestedCost(schema, "{ found { ... on Letter { sender { name } } ... on Person { name } } }")).toBe(2);
  });

  it("charges the mutation field 10 instead of an object's 1", () => {
    expect(requestedCost(schema, "mutation { send { id ... on Box { recipient { name } } } }")).toBe(11);
  });
});

describe("the single-query limit", () => {
  it("lets 1,000 points through and refuses 1,001 in Shopify's words", () => {
    expect(maxCostExceeded(MAX_SINGLE_QUERY_COST)).toBeNull();
    expect(maxCostExceeded(1001)).toMatchObject({
      message: expect.stringMatching(/^Query cost is 1001, which exceeds the single query max cost limit \(1000\)\./),
      extensions: { code: "MAX_COST_EXCEEDED", cost: 1001, maxCost: 1000 },
    });
  });

  it("finds Waypost's history page within the limit (issue #14: it was 22,702 points)", () => {
    // 2 + 18 orders × (9 objects + 2 + 3 line items × 5 + 1 fulfillment × 25); more comes in follow-ups.
    expect(cost(ORDER_HISTORY_QUERY, HISTORY_DOCUMENT_VARIABLES.OrderHistoryPage)).toBe(920);
    expect(cost(ORDER_COUNT_QUERY, { query: historySearch(new Date(0)) })).toBe(1);
  });
});
