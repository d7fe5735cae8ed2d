import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  parse,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLError,
  type GraphQLSchema,
} from "graphql";
import { adminSchema, validateAdminDocument } from "../../contracts/shopify-admin-schema.server";
import { analyzeCost, maxCostExceeded, MAX_SINGLE_QUERY_COST } from "../../contracts/shopify-query-cost";
import { readBody } from "../http-exchange";
import { executeOnStore, type StoreModel } from "./execute";

/**
 * A local stand-in for Shopify's Admin GraphQL API that holds it to Shopify's contract: every
 * document is validated against the vendored 2026-07 schema (Shopify's error shape when it is
 * not valid), its requested cost is computed by Shopify's rules and a document over 1,000
 * points is refused (MAX_COST_EXCEEDED), the actual cost of what comes back is charged to a
 * leaky bucket per access token (THROTTLED answers, HTTP 200, `extensions.cost.throttleStatus`
 * as Shopify reports it), and the document is *executed* with graphql-js over a store model.
 *
 * Tests add data, not answers: push orders (with their line items, fulfillments and events,
 * fulfillment orders…) to `state.store.orders`, set `state.store.shop`, put other objects in
 * `state.store.productVariants`, `state.store.customers` (consent sync, store credit) or `state.store.others`. How values map to fields, and how to
 * add a root field the stand-in does not answer yet, is in the header of `./execute.ts`.
 * A token in `state.revokedTokens` is answered 401, as after the merchant uninstalled the app.
 */
export interface ShopifyAdminDouble {
  url: string;
  state: {
    /** The store every token sees unless `stores` names one for it. */
    store: StoreModel;
    /** Stores by access token, for tests with several shops. */
    stores: Record<string, StoreModel>;
    /** The default store's orders (the same array as `store.orders`). */
    orders: object[];
    requests: number;
    throttled: number;
    /** Documents refused for a requested cost over the single-query limit. */
    refusedOverCost: number;
    /** Every executed document: its operation and variables, Shopify's requested and actual cost. */
    queries: Array<{
      operationName: string | null;
      variables: Record<string, unknown>;
      requestedCost: number;
      actualCost: number;
    }>;
    /** Answer every request after this many with HTTP 503 (a crash of the platform, for tests). */
    failAfter?: number;
    /** Answer every request this many milliseconds late (a slow platform, for tests). */
    delayMs?: number;
    /** Tokens Shopify no longer accepts, as after the merchant uninstalled the app: answered 401. */
    revokedTokens: Set<string>;
    /** The scopes granted to a token; a token without an entry has every scope. See FIELD_SCOPES. */
    scopes: Record<string, string[]>;
  };
  close(): Promise<void>;
}

/** A shop as Shopify would describe a fresh development store; tests and the demo override what they need. */
export function defaultShop(domain = "demo-store.myshopify.com"): Record<string, unknown> {
  const handle = domain.replace(/\.myshopify\.com$/, "");
  return {
    id: "gid://shopify/Shop/1",
    name: handle,
    myshopifyDomain: domain,
    email: `owner@${handle}.example`,
    contactEmail: `hello@${handle}.example`,
    ianaTimezone: "America/New_York",
    timezoneAbbreviation: "EST",
    currencyCode: "USD",
    url: `https://${domain}`,
    primaryDomain: { id: "gid://shopify/Domain/1", host: domain, url: `https://${domain}`, sslEnabled: true },
    shopAddress: { id: "gid://shopify/ShopAddress/1", countryCodeV2: "US", country: "United States" },
  };
}

const documents = new Map<string, { document?: DocumentNode; errors: GraphQLError[] }>();
const costs = new Map<string, ReturnType<typeof analyzeCost>>();

/** A document's cost depends on its numbers and flags, not on cursors or search strings: computed once per shape. */
function costOf(query: string, document: DocumentNode, variables: Record<string, unknown>, operationName?: string) {
  const numbers = JSON.stringify(variables, (_, value) => (typeof value === "string" ? "" : value));
  const shape = `${operationName ?? ""}\n${numbers}\n${query}`;
  let cost = costs.get(shape);
  if (!cost) {
    cost = analyzeCost(adminSchema(), document, variables, operationName);
    if (cost.ok) costs.set(shape, cost);
  }
  return cost;
}

/** Validation depends on the text alone: each distinct document is parsed and checked once. */
function checkedDocument(query: string) {
  let checked = documents.get(query);
  if (!checked) {
    const errors = validateAdminDocument(query);
    checked = { document: errors.length ? undefined : parse(query), errors };
    documents.set(query, checked);
  }
  return checked;
}

/** Shopify's GraphQL error entry: message, locations, extensions.code. */
const shopifyError = (error: GraphQLError, code: string) => ({
  message: error.message,
  ...(error.locations ? { locations: error.locations } : {}),
  ...(error.path ? { path: error.path } : {}),
  extensions: { code, ...(error.extensions ?? {}) },
});

export async function startShopifyAdminDouble({
  port = 0,
  orders = [],
  productVariants = [],
  customers = [],
  shop = defaultShop(),
  accessToken,
  bucket = 2000,
  restoreRate = 100,
}: {
  port?: number;
  orders?: object[];
  /** The store's product variants, with their media and product (see `productVariantModel`). */
  productVariants?: object[];
  /** The store's customers, for consent sync (see `StoreModel.customers`). */
  customers?: object[];
  shop?: object;
  /** The only token accepted; any token when unset. */
  accessToken?: string;
  /** The bucket's size in points (Standard plan 2,000). */
  bucket?: number;
  /** Points restored per second (Standard plan 100, Plus 1,000). */
  restoreRate?: number;
}): Promise<ShopifyAdminDouble> {
  const store: StoreModel = { shop, orders, productVariants, others: [], customers };
  const state: ShopifyAdminDouble["state"] = {
    store,
    stores: {},
    get orders() {
      return this.store.orders;
    },
    set orders(next: object[]) {
      this.store.orders = next;
    },
    requests: 0,
    throttled: 0,
    refusedOverCost: 0,
    queries: [],
    revokedTokens: new Set(),
    scopes: {},
  };
  const buckets = new Map<string, { available: number; refilledAt: number }>();

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
    if (typeof token !== "string" || !token || (accessToken && token !== accessToken) || state.revokedTokens.has(token))
      return answer(401, { errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" });
    state.requests++;
    if (state.delayMs) await new Promise((resolve) => setTimeout(resolve, state.delayMs));
    if (state.failAfter !== undefined && state.requests > state.failAfter)
      return answer(503, { errors: "Service unavailable" });

    let parsed: { query?: unknown; variables?: Record<string, unknown> | null; operationName?: string | null };
    try {
      parsed = JSON.parse(body);
    } catch {
      return answer(400, { errors: "Invalid JSON" });
    }
    if (typeof parsed.query !== "string")
      return answer(400, { errors: { query: "Required parameter missing or invalid" } });
    const variables = parsed.variables ?? {};
    const operationName = parsed.operationName ?? undefined;

    const { document, errors } = checkedDocument(parsed.query);
    if (!document) {
      const code = errors.some((error) => error.message.startsWith("Syntax Error"))
        ? "PARSE_ERROR"
        : "GRAPHQL_VALIDATION_FAILED";
      return answer(200, { errors: errors.map((error) => shopifyError(error, code)) });
    }
    const denied = state.scopes[token] ? missingScope(adminSchema(), document, state.scopes[token]) : undefined;
    if (denied)
      return answer(200, {
        errors: [
          {
            message: `Access denied for ${denied.field} field. Required access: \`${denied.scope}\` access scope.`,
            extensions: { code: "ACCESS_DENIED", documentation: "https://shopify.dev/api/usage/access-scopes" },
          },
        ],
      });
    const cost = costOf(parsed.query, document, variables, operationName);
    if (!cost.ok) return answer(200, { errors: cost.errors.map((error) => shopifyError(error, "BAD_REQUEST")) });
    const requestedQueryCost = cost.requestedQueryCost;
    const tooCostly = maxCostExceeded(requestedQueryCost, MAX_SINGLE_QUERY_COST);
    if (tooCostly) {
      state.refusedOverCost++;
      return answer(200, { errors: [tooCostly] });
    }

    // The bucket: refilled at restoreRate, checked against the requested cost, charged the actual one.
    const now = Date.now();
    const points = buckets.get(token) ?? { available: bucket, refilledAt: now };
    buckets.set(token, points);
    points.available = Math.min(bucket, points.available + ((now - points.refilledAt) / 1000) * restoreRate);
    points.refilledAt = now;
    const throttleStatus = () => ({
      maximumAvailable: bucket,
      currentlyAvailable: Math.floor(points.available),
      restoreRate,
    });
    if (requestedQueryCost > points.available) {
      state.throttled++;
      return answer(200, {
        errors: [
          {
            message: "Throttled",
            extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" },
          },
        ],
        extensions: { cost: { requestedQueryCost, actualQueryCost: null, throttleStatus: throttleStatus() } },
      });
    }

    const { result, actualCost } = executeOnStore(
      adminSchema(),
      state.stores[token] ?? state.store,
      document,
      variables,
      operationName,
    );
    points.available -= actualCost;
    state.queries.push({
      operationName: operationName ?? nameOfOperation(document),
      variables,
      requestedCost: requestedQueryCost,
      actualCost,
    });
    return answer(200, {
      ...(result.errors?.length
        ? { errors: result.errors.map((error) => shopifyError(error, "INTERNAL_SERVER_ERROR")) }
        : {}),
      data: result.data ?? null,
      extensions: { cost: { requestedQueryCost, actualQueryCost: actualCost, throttleStatus: throttleStatus() } },
    });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    state,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * Fields the 2026-07 schema marks with a `requiredAccess` scope that Waypost reads, by
 * `Type.field`: a token not granted the scope is answered ACCESS_DENIED, as Shopify does.
 */
const FIELD_SCOPES: Record<string, string> = {
  "Customer.storeCreditAccounts": "read_store_credit_accounts",
  "HasStoreCreditAccounts.storeCreditAccounts": "read_store_credit_accounts",
};

function missingScope(schema: GraphQLSchema, document: DocumentNode, granted: string[]) {
  const typeInfo = new TypeInfo(schema);
  let missing: { field: string; scope: string } | undefined;
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const scope = FIELD_SCOPES[`${typeInfo.getParentType()?.name}.${node.name.value}`];
        if (scope && !granted.includes(scope)) missing ??= { field: node.name.value, scope };
      },
    }),
  );
  return missing;
}

function nameOfOperation(document: DocumentNode): string | null {
  const operation = document.definitions.find((definition) => definition.kind === "OperationDefinition");
  return operation && "name" in operation ? (operation.name?.value ?? null) : null;
}
