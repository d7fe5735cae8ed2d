import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startShopifyAdminDouble, type ShopifyAdminDouble } from "./server";

const TOKEN = "shpat_test";
let double: ShopifyAdminDouble;

const lineItem = (order: number, line: number) => ({
  id: `gid://shopify/LineItem/${order * 1000 + line}`,
  title: `Item ${line}`,
  quantity: 1,
});
const order = (n: number, updatedAt: string, lines = 3) => ({
  id: `gid://shopify/Order/${n}`,
  name: `#${n}`,
  createdAt: "2026-11-01T10:00:00Z",
  updatedAt,
  currencyCode: "EUR",
  lineItems: { nodes: Array.from({ length: lines }, (_, line) => lineItem(n, line)) },
  fulfillments: [
    {
      id: `gid://shopify/Fulfillment/${n}`,
      status: "SUCCESS",
      createdAt: "2026-11-02T10:00:00Z",
      events: [
        { id: `gid://shopify/FulfillmentEvent/${n * 10 + 2}`, status: "DELIVERED", happenedAt: "2026-11-04T10:00:00Z" },
        {
          id: `gid://shopify/FulfillmentEvent/${n * 10 + 1}`,
          status: "IN_TRANSIT",
          happenedAt: "2026-11-03T10:00:00Z",
        },
      ],
    },
  ],
  fulfillmentOrders: [{ id: `gid://shopify/FulfillmentOrder/${n}`, status: "ON_HOLD" }],
});

async function post(query: string, variables: Record<string, unknown> = {}, token = TOKEN) {
  const response = await fetch(`${double.url}/admin/api/2026-07/graphql.json`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": token },
    body: JSON.stringify({ query, variables }),
  });
  expect(response.status).toBe(200);
  return response.json();
}

beforeAll(async () => {
  double = await startShopifyAdminDouble({ bucket: 2000, restoreRate: 100 });
});
afterAll(async () => double.close());
beforeEach(() => {
  double.state.orders = [
    order(3, "2026-11-20T00:00:00Z"),
    order(1, "2026-11-10T00:00:00Z"),
    order(2, "2026-11-15T00:00:00Z", 120),
  ];
  double.state.stores = {};
  double.state.queries = [];
});

describe("Shopify Admin API stand-in", () => {
  it("refuses a document the 2026-07 schema does not allow, in Shopify's error shape", async () => {
    const body = await post(`{ shop { name nickname } }`);
    expect(body.data).toBeUndefined();
    expect(body.errors).toHaveLength(1);
    expect(body.errors[0]).toMatchObject({
      message: expect.stringContaining("nickname"),
      locations: [{ line: 1, column: 15 }],
      extensions: { code: "GRAPHQL_VALIDATION_FAILED" },
    });
    expect((await post(`{ shop { name `)).errors[0].extensions.code).toBe("PARSE_ERROR");
  });

  it("refuses a document over 1,000 requested points before running it, as MAX_COST_EXCEEDED", async () => {
    const body = await post(`{ orders(first: 250) { nodes { id lineItems(first: 10) { nodes { id } } } } }`);
    expect(body).not.toHaveProperty("data");
    expect(body).not.toHaveProperty("extensions");
    expect(body.errors[0].extensions).toMatchObject({ code: "MAX_COST_EXCEEDED", cost: 3252, maxCost: 1000 });
    expect(double.state.queries).toHaveLength(0);
  });

  it("executes the document over the store: search, sort, cursors, nested connections", async () => {
    const query = /* GraphQL */ `
      query Page($after: String) {
        orders(first: 2, after: $after, sortKey: UPDATED_AT, query: "updated_at:>='2026-11-12T00:00:00Z'") {
          pageInfo {
            hasNextPage
            endCursor
          }
          nodes {
            name
            currencyCode
            lineItems(first: 100) {
              pageInfo {
                hasNextPage
              }
              nodes {
                title
              }
            }
            fulfillments(first: 5) {
              events(first: 5, sortKey: HAPPENED_AT) {
                nodes {
                  status
                }
              }
            }
          }
        }
      }
    `;
    const first = await post(query);
    expect(first.errors).toBeUndefined();
    const page = first.data.orders;
    expect(page.nodes.map((node: { name: string }) => node.name)).toEqual(["#2", "#3"]);
    expect(page.pageInfo.hasNextPage).toBe(false);
    expect(page.nodes[0].lineItems.nodes).toHaveLength(100);
    expect(page.nodes[0].lineItems.pageInfo.hasNextPage).toBe(true);
    expect(page.nodes[0].fulfillments[0].events.nodes).toEqual([{ status: "IN_TRANSIT" }, { status: "DELIVERED" }]);

    const all = await post(
      `query($after: String) { orders(first: 1, after: $after) { pageInfo { hasNextPage endCursor } nodes { name } } }`,
    );
    expect(all.data.orders.nodes).toEqual([{ name: "#1" }]);
    const next = await post(
      `query($after: String) { orders(first: 1, after: $after) { pageInfo { hasNextPage endCursor } nodes { name } } }`,
      { after: all.data.orders.pageInfo.endCursor },
    );
    expect(next.data.orders.nodes).toEqual([{ name: "#2" }]);
    expect(next.data.orders.pageInfo.hasNextPage).toBe(true);
  });

  it("finds objects by GID anywhere in the store, with their owners as back-references", async () => {
    const body = await post(`{
      fulfillmentOrder(id: "gid://shopify/FulfillmentOrder/2") { status order { id name } }
      order(id: "gid://shopify/Order/3") { name }
      missing: order(id: "gid://shopify/Order/404") { name }
      nodes(ids: ["gid://shopify/Fulfillment/1", "gid://shopify/Order/2"]) {
        ... on Fulfillment { status order { name } }
        ... on Order { name }
      }
      shop { name ianaTimezone currencyCode primaryDomain { host } shopAddress { countryCodeV2 } }
    }`);
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({
      fulfillmentOrder: { status: "ON_HOLD", order: { id: "gid://shopify/Order/2", name: "#2" } },
      order: { name: "#3" },
      missing: null,
      nodes: [{ status: "SUCCESS", order: { name: "#1" } }, { name: "#2" }],
      shop: {
        name: "demo-store",
        ianaTimezone: "America/New_York",
        currencyCode: "USD",
        primaryDomain: { host: "demo-store.myshopify.com" },
        shopAddress: { countryCodeV2: "US" },
      },
    });
    const count = await post(`{ ordersCount(query: "updated_at:>'2026-11-10T00:00:00Z'") { count precision } }`);
    expect(count.data.ordersCount).toEqual({ count: 2, precision: "EXACT" });
  });

  it("says what is missing when a root field has no data, and answers each token's own store", async () => {
    const body = await post(`{ currentAppInstallation { id } }`);
    expect(body.errors[0].message).toMatch(/no data for Query.currentAppInstallation: add it to ROOT_FIELDS/);
    double.state.stores.shpat_other = { shop: { name: "Other Shop" }, orders: [] };
    expect((await post(`{ shop { name } }`, {}, "shpat_other")).data.shop.name).toBe("Other Shop");
    expect((await post(`{ shop { name } }`)).data.shop.name).toBe("demo-store");
  });

  it("charges the actual cost to a leaky bucket per token, and throttles as Shopify does", async () => {
    const query = `{ orders(first: 45) { nodes { id lineItems(first: 18) { nodes { id } } } } }`;
    const body = await post(query, {}, "shpat_bucket");
    // Requested: 2 + 45 × (1 + 2 + 18). Actual: 2 + 3 orders + 3 × 2 for their connections + 3 + 18 + 3 line items.
    expect(body.extensions.cost.requestedQueryCost).toBe(947);
    expect(body.extensions.cost.actualQueryCost).toBe(35);
    expect(body.extensions.cost.throttleStatus).toMatchObject({ maximumAvailable: 2000, restoreRate: 100 });
    expect(body.extensions.cost.throttleStatus.currentlyAvailable).toBeGreaterThanOrEqual(1950);

    const small = await startShopifyAdminDouble({ bucket: 1000, restoreRate: 1 });
    try {
      small.state.orders = double.state.orders;
      const ask = () =>
        fetch(`${small.url}/admin/api/2026-07/graphql.json`, {
          method: "POST",
          headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": TOKEN },
          body: JSON.stringify({
            query: `{ orders(first: 80) { nodes { id lineItems(first: 9) { nodes { id } } } } }`,
          }),
        }).then((response) => response.json());
      // Each run needs 962 points available and costs 26: 1,000 → 974 → 948, then too few.
      const runs = [await ask(), await ask()];
      expect(runs.map((run) => run.extensions.cost.actualQueryCost)).toEqual([26, 26]);
      const refused = await ask();
      expect(refused.errors[0].extensions.code).toBe("THROTTLED");
      expect(refused).not.toHaveProperty("data");
      expect(refused.extensions.cost).toMatchObject({ requestedQueryCost: 962, actualQueryCost: null });
      expect(refused.extensions.cost.throttleStatus.currentlyAvailable).toBe(948);
      expect(small.state.throttled).toBe(1);
    } finally {
      await small.close();
    }
  });
});
