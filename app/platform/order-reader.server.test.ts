import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { generateOrderHistory } from "../demo/doubles/shopify-admin/order-history";
import { startShopifyAdminDouble, type ShopifyAdminDouble } from "../demo/doubles/shopify-admin/server";
import { ShopifyAdminApi } from "./admin-graphql.server";
import { historySearch, type HistoryOrder } from "./order-history";
import { readOrdersPage, readOrderWithFulfillments } from "./order-reader.server";

const ORDERS = generateOrderHistory({ count: 300, days: 30, largeOrderEvery: 20 });
const LARGE = ORDERS.filter((order) => (order.lineItems?.nodes.length ?? 0) > 100 && order.fulfillments?.length);
let double: ShopifyAdminDouble;
let admin: ShopifyAdminApi;

beforeAll(async () => {
  double = await startShopifyAdminDouble({ orders: ORDERS, bucket: 1_000_000, restoreRate: 1_000_000 });
  admin = new ShopifyAdminApi({ baseUrl: double.url, accessToken: "shpat_reader" });
  // The stand-in builds Shopify's schema (0.9 MB) on its first request: seconds on a busy machine.
  await readOrderWithFulfillments(admin, "gid://shopify/Order/0");
}, 120_000);
afterAll(async () => double.close());
beforeEach(() => {
  double.state.queries = [];
  double.state.failAfter = undefined;
});

/** The order as the store holds it, without the page bookkeeping a read carries. */
const withoutPageInfo = (order: unknown) =>
  JSON.parse(
    JSON.stringify(order, (key, value) => (key === "pageInfo" || key === "fulfillmentsCount" ? undefined : value)),
  );
/** What the reader should see of the stand-in's model: the fields the documents select. */
const asRead = (order: HistoryOrder) =>
  withoutPageInfo({
    ...order,
    fulfillments: order.fulfillments?.map((fulfillment) => ({
      ...fulfillment,
      fulfillmentLineItems: {
        nodes: fulfillment.fulfillmentLineItems?.nodes.map(({ quantity, lineItem }) => ({ quantity, lineItem })),
      },
    })),
  });

/** A document's name, or for a follow-up page the connection it continues. */
const followUpOf = ({
  operationName,
  variables,
}: {
  operationName: string | null;
  variables: Record<string, unknown>;
}) =>
  operationName === "ConnectionRest" ? Object.keys(variables).find((flag) => variables[flag] === true) : operationName;

describe("reading orders in full within Shopify's cost limit", { timeout: 60_000 }, () => {
  it("reads one large order by GID with every line item, fulfillment and scan, in documents of ≤ 1,000 points", async () => {
    expect(LARGE.length).toBeGreaterThan(5);
    const large = LARGE[0];
    expect(large.lineItems!.nodes).toHaveLength(120);
    expect(large.fulfillments).toHaveLength(4);
    expect(large.fulfillments![0].events!.nodes.length).toBeGreaterThan(10);

    const read = await readOrderWithFulfillments(admin, large.id);
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(withoutPageInfo(read.data)).toEqual(asRead(large));
    expect(double.state.refusedOverCost).toBe(0);
    expect(Math.max(...double.state.queries.map((query) => query.requestedCost))).toBeLessThanOrEqual(1000);
    // The order (50 of 120 line items, all 4 fulfillments with 10 of 30 items and 10 of 11 scans),
    // then 1 page of the other 70 line items and for each fulfillment 1 of items and 1 of scans.
    expect(double.state.queries.map(followUpOf)).toEqual([
      "OrderWithFulfillments",
      "orderLineItems",
      ...Array.from({ length: 4 }, () => ["fulfillmentLineItems", "fulfillmentEvents"]).flat(),
    ]);
  });

  it("answers null for an order the store does not have", async () => {
    expect(await readOrderWithFulfillments(admin, "gid://shopify/Order/1")).toMatchObject({ ok: true, data: null });
  });

  it("pages through a window, completing each order that has more than the page carries", async () => {
    const read: HistoryOrder[] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 100; pages++) {
      const page = await readOrdersPage(admin, historySearch(new Date(0)), after);
      if (!page.ok) throw new Error(page.detail);
      read.push(...page.data.orders);
      after = page.data.endCursor;
      if (!page.data.hasNextPage) break;
    }
    expect(read.map((order) => order.id).sort()).toEqual(ORDERS.map((order) => order.id).sort());
    const byId = new Map(ORDERS.map((order) => [order.id, order]));
    for (const order of read) expect(withoutPageInfo(order)).toEqual(asRead(byId.get(order.id)!));
    expect(double.state.refusedOverCost).toBe(0);
    const pages = double.state.queries.filter((query) => query.operationName === "OrderHistoryPage");
    expect(pages).toHaveLength(17);
    expect(pages[0].requestedCost).toBe(920);
    // Large orders have 4 fulfillments where a page asks for 1: their ids, then the other three.
    expect(double.state.queries.filter((query) => query.operationName === "OrderFulfillmentIds").length).toBe(
      LARGE.length,
    );
  });

  it("gives up the whole read when a follow-up cannot be made, so the page is read again later", async () => {
    double.state.failAfter = double.state.requests + 1;
    const read = await readOrderWithFulfillments(admin, LARGE[1].id);
    expect(read).toMatchObject({ ok: false, kind: "throttled", detail: "Shopify answered HTTP 503" });
  });
});
