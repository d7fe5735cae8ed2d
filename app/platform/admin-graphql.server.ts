import { ADMIN_API_VERSION } from "../config/shopify-api";
import { prisma } from "../db.server";
import { env } from "../env.server";
import {
  FULFILLMENT_DELIVERY_METHOD_QUERY,
  fulfillmentGid,
  isLocalPickup,
  type FulfillmentDeliveryAnswer,
} from "./delivery-method";
import { legacyId, ORDER_COUNT_QUERY } from "./order-history";
import { FULFILLMENT_ORDER_QUERY } from "./fulfillment-order";
import {
  CUSTOMER_BY_IDENTIFIER_QUERY,
  customerIdentifier,
  unsubscribeMutation,
  type CustomerConsentAnswer,
  type MarketingChannel,
  type UnsubscribeAnswer,
} from "./customer-consent";
import { openStoredToken } from "./sealed-sessions.server";

// The cheapest question a token can be asked (1 point): it works only while the app is installed.
const ACCESS_CHECK_QUERY = /* GraphQL */ `
  query WaypostAccessCheck {
    shop {
      id
    }
  }
`;

/** Shopify's leaky bucket of query cost points, as every response reports it. */
export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

export type AdminOutcome<T> =
  | { ok: true; data: T; throttle?: ThrottleStatus; requestedCost?: number }
  /** `budget`: Shopify answered THROTTLED (the bucket refills by waitMs), rather than not answering. */
  | { ok: false; kind: "throttled"; waitMs: number; detail: string; budget?: true }
  | { ok: false; kind: "unauthorized" | "failed"; detail: string };

/**
 * How long to wait before a query of `cost` points fits in the bucket. Pure; also what a
 * THROTTLED answer means: (needed − available) / restoreRate.
 */
export function waitForCostMs(throttle: ThrottleStatus | undefined, cost: number): number {
  if (!throttle || throttle.currentlyAvailable >= cost || throttle.restoreRate <= 0) return 0;
  return Math.ceil(
    ((Math.min(cost, throttle.maximumAvailable) - throttle.currentlyAvailable) / throttle.restoreRate) * 1000,
  );
}

interface AdminApiOptions {
  /** https://{shop} in production; a local stand-in in tests and the demo. */
  baseUrl: string;
  accessToken: string;
  timeoutMs?: number;
}

/**
 * A small client for Shopify's Admin GraphQL API: one document per call, Shopify's answers
 * (throttled, refused, failed) as outcomes. The documents live beside their readers
 * (order-history.ts, order-reader.server.ts, the shop's facts).
 */
export class ShopifyAdminApi {
  constructor(private readonly options: AdminApiOptions) {}

  /** How many orders a search matches (one point). */
  async countOrders(search: string): Promise<AdminOutcome<number>> {
    const outcome = await this.query<{ ordersCount?: { count?: number } }>(ORDER_COUNT_QUERY, { query: search });
    return outcome.ok ? { ...outcome, data: outcome.data.ordersCount?.count ?? 0 } : outcome;
  }

  /** Whether Shopify still accepts this token: it stops the moment the merchant uninstalls the app. */
  async confirmAccess(): Promise<AdminOutcome<true>> {
    const outcome = await this.query<{ shop?: { id?: string } }>(ACCESS_CHECK_QUERY, {});
    if (!outcome.ok) return outcome;
    return outcome.data.shop?.id
      ? { ...outcome, data: true }
      : { ok: false, kind: "failed", detail: "no shop in answer" };
  }

  /** The order a fulfillment order belongs to, as its legacy id (null: Shopify has no such fulfillment order). */
  async orderOfFulfillmentOrder(fulfillmentOrderGid: string): Promise<AdminOutcome<string | null>> {
    const outcome = await this.query<{ fulfillmentOrder?: { order?: { id?: string } | null } | null }>(
      FULFILLMENT_ORDER_QUERY,
      { id: fulfillmentOrderGid },
    );
    return outcome.ok ? { ...outcome, data: legacyId(outcome.data.fulfillmentOrder?.order?.id) } : outcome;
  }

  /** Whether a fulfillment is a local pickup the customer collected (null: Shopify has no such fulfillment). */
  async isLocalPickup(fulfillmentId: string): Promise<AdminOutcome<boolean | null>> {
    const outcome = await this.query<FulfillmentDeliveryAnswer>(FULFILLMENT_DELIVERY_METHOD_QUERY, {
      id: fulfillmentGid(fulfillmentId),
    });
    return outcome.ok ? { ...outcome, data: isLocalPickup(outcome.data) } : outcome;
  }

  /** The one customer with exactly this email (or phone, for SMS); null when Shopify has none. */
  async customerForConsent(
    channel: MarketingChannel,
    contact: { email: string | null; phone: string | null },
  ): Promise<AdminOutcome<CustomerConsentAnswer["customerByIdentifier"]>> {
    const identifier = customerIdentifier(channel, contact);
    if (!identifier) return { ok: true, data: null };
    const outcome = await this.query<CustomerConsentAnswer>(CUSTOMER_BY_IDENTIFIER_QUERY, { identifier });
    return outcome.ok ? { ...outcome, data: outcome.data.customerByIdentifier ?? null } : outcome;
  }

  /** Marks the customer unsubscribed on the channel (write_customers); Shopify's userErrors come back as a failure. */
  async unsubscribeCustomer(channel: MarketingChannel, customerId: string, at: Date): Promise<AdminOutcome<true>> {
    const { document, field, variables } = unsubscribeMutation(channel, customerId, at);
    const outcome = await this.query<UnsubscribeAnswer>(document, variables);
    if (!outcome.ok) return outcome;
    const errors = outcome.data[field]?.userErrors ?? [];
    if (errors.length) return { ok: false, kind: "failed", detail: errors.map((error) => error.message).join("; ") };
    return { ...outcome, data: true };
  }

  async query<T>(query: string, variables: Record<string, unknown>): Promise<AdminOutcome<T>> {
    const { baseUrl, accessToken, timeoutMs = 30_000 } = this.options;
    let response: Response;
    try {
      response = await fetch(new URL(`/admin/api/${ADMIN_API_VERSION}/graphql.json`, baseUrl), {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          Accept: "application/json",
          "X-Shopify-Access-Token": accessToken,
        },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      // Network trouble is worth a short wait and another try, like a throttle.
      return {
        ok: false,
        kind: "throttled",
        waitMs: 5000,
        detail: `Shopify did not answer: ${error instanceof Error ? error.message : String(error)}`,
      };
    }
    if (response.status === 401 || response.status === 403) {
      return {
        ok: false,
        kind: "unauthorized",
        detail: "Shopify refused Waypost's access to the store's orders (reinstall the app, or grant read_orders)",
      };
    }
    if (response.status === 429 || response.status >= 500) {
      const retryAfter = Number(response.headers.get("retry-after"));
      return {
        ok: false,
        kind: "throttled",
        waitMs: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : 5000,
        detail: `Shopify answered HTTP ${response.status}`,
      };
    }
    const body = (await response.json().catch(() => undefined)) as
      | {
          data?: T;
          errors?: Array<{ message?: string; extensions?: { code?: string } }>;
          extensions?: { cost?: { requestedQueryCost?: number; throttleStatus?: ThrottleStatus } };
        }
      | undefined;
    if (!body) return { ok: false, kind: "failed", detail: `Shopify answered HTTP ${response.status} with no JSON` };
    const cost = body.extensions?.cost;
    // Throttling comes back as HTTP 200 with a THROTTLED error.
    if (body.errors?.some((error) => error.extensions?.code === "THROTTLED")) {
      return {
        ok: false,
        kind: "throttled",
        waitMs: Math.max(250, waitForCostMs(cost?.throttleStatus, cost?.requestedQueryCost ?? 0)),
        detail: "Shopify's API budget is used up for now",
        budget: true,
      };
    }
    if (!response.ok || body.errors?.length || !body.data) {
      return {
        ok: false,
        kind: "failed",
        detail: body.errors?.map((error) => error.message).join("; ") || `Shopify answered HTTP ${response.status}`,
      };
    }
    return { ok: true, data: body.data, throttle: cost?.throttleStatus, requestedCost: cost?.requestedQueryCost };
  }
}

/** The Admin API as the shop's offline session may use it; undefined when Waypost holds no access to the store. */
export async function adminApiForShop(
  shopDomain: string,
  { timeoutMs }: { timeoutMs?: number } = {},
): Promise<ShopifyAdminApi | undefined> {
  const session = await prisma.session.findUnique({
    where: { id: `offline_${shopDomain}` },
    select: { id: true, accessToken: true },
  });
  if (!session?.accessToken) return undefined;
  return adminApiWithToken(shopDomain, openStoredToken(session.id, session.accessToken), { timeoutMs });
}

/** The Admin API with a token in hand (at install, before anything else reads the stored session). */
export function adminApiWithToken(shopDomain: string, accessToken: string, { timeoutMs }: { timeoutMs?: number } = {}) {
  return new ShopifyAdminApi({ baseUrl: env.shopifyAdminApiUrl ?? `https://${shopDomain}`, accessToken, timeoutMs });
}
