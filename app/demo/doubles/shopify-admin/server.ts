import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { HistoryOrder } from "../../../platform/order-history";
import { readBody } from "../http-exchange";

/**
 * A local stand-in for Shopify's Admin GraphQL API, as far as a backfill reads it: the
 * `orders` connection (filtered by updated_at, sorted by it, paginated by cursor) and
 * `ordersCount`, with Shopify's cost-based leaky bucket (THROTTLED answers, HTTP 200); and
 * `shop { id }`, which answers only while the token still works (an uninstall revokes it).
 */
export interface ShopifyAdminDouble {
  url: string;
  state: {
    orders: HistoryOrder[];
    requests: number;
    throttled: number;
    /** Answer every request after this many with HTTP 503 (a crash of the platform, for tests). */
    failAfter?: number;
    /** Tokens Shopify no longer accepts, as after the merchant uninstalled the app: answered 401. */
    revokedTokens: Set<string>;
  };
  close(): Promise<void>;
}

// What Shopify charges, roughly: each order with its nested fulfillments and events.
const COST_PER_ORDER = 10;

export async function startShopifyAdminDouble({
  port = 0,
  orders,
  accessToken,
  bucket = 1000,
  restoreRate = 100,
}: {
  port?: number;
  orders: HistoryOrder[];
  /** The only token accepted; any token when unset. */
  accessToken?: string;
  bucket?: number;
  /** Points restored per second (Standard plan 100, Plus 1000). */
  restoreRate?: number;
}): Promise<ShopifyAdminDouble> {
  const state: ShopifyAdminDouble["state"] = { orders, requests: 0, throttled: 0, revokedTokens: new Set() };
  let available = bucket;
  let refilledAt = Date.now();

  const server: Server = createServer(async (request, response) => {
    const answer = (status: number, body: unknown) => {
      response.writeHead(status, { "Content-Type": "application/json" });
      response.end(JSON.stringify(body));
    };
    const body = await readBody(request);
    if (
      request.method !== "POST" ||
      !/^\/admin\/api\/[\w-]+\/graphql\.json$/.test(new URL(request.url ?? "/", "http://x").pathname)
    ) {
      return answer(404, { errors: "Not Found" });
    }
    const token = request.headers["x-shopify-access-token"];
    if (!token || (accessToken && token !== accessToken) || state.revokedTokens.has(String(token)))
      return answer(401, { errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" });
    state.requests++;
    if (state.failAfter !== undefined && state.requests > state.failAfter)
      return answer(503, { errors: "Service unavailable" });

    let parsed: { query?: string; variables?: Record<string, unknown> };
    try {
      parsed = JSON.parse(body);
    } catch {
      return answer(400, { errors: "Invalid JSON" });
    }
    const query = parsed.query ?? "";
    const variables = parsed.variables ?? {};
    const since = /updated_at:>='([^']+)'/.exec(String(variables.query ?? ""))?.[1];
    const matching = since
      ? state.orders.filter((order) => order.updatedAt >= new Date(since).toISOString())
      : state.orders;

    const now = Date.now();
    available = Math.min(bucket, available + ((now - refilledAt) / 1000) * restoreRate);
    refilledAt = now;
    const first = Math.min(250, Number(variables.first ?? 0));
    const asksForShop = /^\s*query\b[^{]*\{\s*shop\s*\{/.test(query);
    const requestedQueryCost = query.includes("ordersCount") || asksForShop ? 1 : 2 + first * COST_PER_ORDER;
    const throttleStatus = () => ({ maximumAvailable: bucket, currentlyAvailable: Math.floor(available), restoreRate });
    if (requestedQueryCost > available) {
      state.throttled++;
      return answer(200, {
        errors: [{ message: "Throttled", extensions: { code: "THROTTLED" } }],
        extensions: { cost: { requestedQueryCost, actualQueryCost: null, throttleStatus: throttleStatus() } },
      });
    }
    available -= requestedQueryCost;
    const extensions = {
      cost: { requestedQueryCost, actualQueryCost: requestedQueryCost, throttleStatus: throttleStatus() },
    };

    if (asksForShop) return answer(200, { data: { shop: { id: "gid://shopify/Shop/1" } }, extensions });
    if (query.includes("ordersCount"))
      return answer(200, { data: { ordersCount: { count: matching.length, precision: "EXACT" } }, extensions });
    if (!query.includes("orders("))
      return answer(200, { errors: [{ message: "This stand-in answers only the orders and ordersCount queries" }] });

    const sorted = [...matching].sort((a, b) => a.updatedAt.localeCompare(b.updatedAt) || a.id.localeCompare(b.id));
    const start = variables.after ? Number(Buffer.from(String(variables.after), "base64url").toString()) + 1 : 0;
    const page = sorted.slice(start, start + first);
    const endIndex = start + page.length - 1;
    return answer(200, {
      data: {
        orders: {
          nodes: page,
          pageInfo: {
            hasNextPage: endIndex < sorted.length - 1,
            endCursor: page.length ? Buffer.from(String(endIndex)).toString("base64url") : null,
          },
        },
      },
      extensions,
    });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    state,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
