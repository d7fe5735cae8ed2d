/** Topics whose webhooks drive tracking (handled by the tracking engine). */
export const TRACKING_TOPICS = [
  "orders/create",
  "orders/updated",
  "orders/paid",
  "orders/cancelled",
  "orders/fulfilled",
  "orders/partially_fulfilled",
  "fulfillments/create",
  "fulfillments/update",
  "fulfillment_events/create",
  "fulfillment_orders/placed_on_hold",
  "fulfillment_orders/hold_released",
  "fulfillment_orders/cancelled",
  "fulfillment_orders/order_routing_complete",
  "fulfillment_orders/fulfillment_request_accepted",
  "fulfillment_orders/progress_reported",
  "fulfillment_orders/line_items_prepared_for_pickup",
] as const;

/** The app's and the store's own life: uninstall, granted scopes, the store's details (shop/update). */
export const APP_LIFECYCLE_TOPICS = ["app/uninstalled", "app/scopes_update", "shop/update"] as const;

/** The store's customers: a merge of two (customers/merge, scope read_customer_merge) merges their Klaviyo profiles. */
export const CUSTOMER_TOPICS = ["customers/merge"] as const;

/** Mandatory privacy webhooks; they arrive even after uninstall (shop/redact 48 h later). */
export const COMPLIANCE_TOPICS = ["customers/data_request", "customers/redact", "shop/redact"] as const;

export type WebhookTopic =
  | (typeof TRACKING_TOPICS)[number]
  | (typeof APP_LIFECYCLE_TOPICS)[number]
  | (typeof CUSTOMER_TOPICS)[number]
  | (typeof COMPLIANCE_TOPICS)[number];

const ALL_TOPICS: readonly string[] = [
  ...TRACKING_TOPICS,
  ...APP_LIFECYCLE_TOPICS,
  ...CUSTOMER_TOPICS,
  ...COMPLIANCE_TOPICS,
];

/** Shopify sends `orders/create`; its newer headers and libraries say `ORDERS_CREATE`. */
export function normalizeTopic(raw: string): string {
  const trimmed = raw.trim();
  if (trimmed.includes("/")) return trimmed.toLowerCase();
  const known = ALL_TOPICS.find((topic) => topic.toUpperCase().replace(/\//g, "_") === trimmed.toUpperCase());
  return known ?? trimmed.toLowerCase();
}

export function isKnownTopic(topic: string): topic is WebhookTopic {
  return ALL_TOPICS.includes(topic);
}

export function isComplianceTopic(topic: string): boolean {
  return (COMPLIANCE_TOPICS as readonly string[]).includes(topic);
}

/** The order a webhook is about, when it is about one; used to find rows to redact. */
export function orderIdOf(topic: string, payload: unknown): string | undefined {
  if (!payload || typeof payload !== "object") return undefined;
  const body = payload as Record<string, unknown>;
  const candidate = topic.startsWith("orders/")
    ? body.id
    : topic.startsWith("fulfillment_orders/")
      ? (body.fulfillment_order as Record<string, unknown> | undefined)?.order_id
      : body.order_id;
  return typeof candidate === "string" || typeof candidate === "number" ? String(candidate) : undefined;
}
