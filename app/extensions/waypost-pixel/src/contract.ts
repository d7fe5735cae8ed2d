/**
 * The storefront pixel's wire contract with Waypost's ingest endpoint (`POST {APP_URL}/pixel/events`),
 * shared by this extension and the server: one home for the event names, the settings and the limits.
 * It imports nothing, so the Shopify CLI can bundle the extension from this folder alone.
 */

export const CONTRACT_VERSION = 1;
export const MAX_EVENTS_PER_BATCH = 20;
export const MAX_BATCH_BYTES = 16 * 1024;
/** A list in an event's data (a collection's or search's variants, a checkout's line items) is cut to this. */
export const MAX_LISTED_VARIANTS = 10;
export const MAX_CHECKOUT_LINE_ITEMS = 50;

/** Shopify's standard events the pixel forwards, and Waypost's own Logged In. */
export const PIXEL_EVENT_NAMES = [
  "page_viewed",
  "product_viewed",
  "collection_viewed",
  "search_submitted",
  "product_added_to_cart",
  "checkout_started",
  "logged_in",
] as const;
export type PixelEventName = (typeof PIXEL_EVENT_NAMES)[number];

/** The ones Shopify publishes (logged_in is the pixel's own, sent when init.data.customer is known). */
export const SHOPIFY_STANDARD_EVENTS = PIXEL_EVENT_NAMES.filter(
  (name): name is Exclude<PixelEventName, "logged_in"> => name !== "logged_in",
);

export type ConsentPurpose = "analytics" | "marketing";
/**
 * What the visitor must have allowed before an event leaves the browser. Every event is analytics;
 * the ones that name what a shopper looked at or wants (and so feed Klaviyo's marketing flows:
 * browse and cart abandonment, welcome) need marketing too.
 */
export const CONSENT_REQUIRED: Record<PixelEventName, readonly ConsentPurpose[]> = {
  page_viewed: ["analytics"],
  product_viewed: ["analytics", "marketing"],
  collection_viewed: ["analytics", "marketing"],
  search_submitted: ["analytics", "marketing"],
  product_added_to_cart: ["analytics", "marketing"],
  checkout_started: ["analytics", "marketing"],
  logged_in: ["analytics", "marketing"],
};

/** Shopify's customer privacy status, as `init.customerPrivacy` and `visitorConsentCollected` give it. */
export interface CustomerPrivacy {
  analyticsProcessingAllowed: boolean;
  marketingAllowed: boolean;
  preferencesProcessingAllowed: boolean;
  saleOfDataAllowed: boolean;
}

/**
 * The pixel's settings, as Waypost sets them with webPixelCreate / webPixelUpdate and the extension's
 * settings definition declares them (shopify.extension.toml): every value is a string.
 */
export interface PixelSettings {
  ingestUrl: string;
  pixelKey: string;
  /** The enabled events, comma-separated (`page_viewed,product_viewed`); empty: none. */
  events: string;
}

export const isPixelEventName = (name: unknown): name is PixelEventName =>
  typeof name === "string" && (PIXEL_EVENT_NAMES as readonly string[]).includes(name);

/** The settings' `events` as a list: unknown names are ignored, each name once, in the contract's order. */
export function parseEnabledEvents(events: unknown): PixelEventName[] {
  const named = new Set(typeof events === "string" ? events.split(",").map((name) => name.trim()) : []);
  return PIXEL_EVENT_NAMES.filter((name) => named.has(name));
}

export function formatEnabledEvents(names: readonly string[]): string {
  return parseEnabledEvents(names.join(",")).join(",");
}

export interface PixelMoney {
  amount?: number;
  currencyCode?: string;
}

export interface PixelVariant {
  id?: string | null;
  title?: string | null;
  sku?: string | null;
  price?: PixelMoney;
  image?: { src?: string | null } | null;
  product?: {
    id?: string | null;
    title?: string;
    vendor?: string;
    type?: string | null;
    url?: string | null;
  };
}

export interface PixelCustomer {
  id: string;
  email?: string | null;
  phone?: string | null;
  firstName?: string | null;
  lastName?: string | null;
}

export interface PixelEvent {
  id: string;
  name: PixelEventName;
  timestamp: string;
  context: { document: { location: { href: string }; referrer: string; title: string } };
  data: Record<string, unknown>;
}

/** The body of one POST to the ingest URL. */
export interface PixelBatch {
  v: typeof CONTRACT_VERSION;
  shop: string;
  pixelKey: string;
  clientId: string;
  customer: PixelCustomer | null;
  events: PixelEvent[];
}
