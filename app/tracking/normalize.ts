/**
 * Shopify's order and fulfillment payloads, reduced to what tracking needs. Pure and total:
 * any JSON goes in, a normalized value or a reason it is unusable comes out; nothing throws.
 */
export interface NormalizedLineItem {
  id: string;
  title: string;
  variantTitle: string | null;
  sku: string | null;
  quantity: number;
  price: number;
  productId: string | null;
  variantId: string | null;
}

export interface Contact {
  email: string | null;
  phone: string | null;
  firstName: string | null;
  lastName: string | null;
  company: string | null;
  /**
   * The country (ISO 3166-1 alpha-2) a national phone number is read in: the shipping
   * address's, else the billing address's, else the store's. Older snapshots may lack it.
   */
  country: string | null;
  /** The Shopify customer's GID (gid://shopify/Customer/…), for what Waypost asks Shopify about them; older snapshots lack it. */
  customerId?: string | null;
}

/** What normalizing knows of the store: its country, for phone numbers written nationally. */
export interface StoreContext {
  country?: string | null;
}

export interface NormalizedOrder {
  id: string;
  name: string;
  number: string | null;
  contact: Contact;
  /** The order's own currency (ISO 4217); null when the platform did not say (the store's is used then). */
  currency: string | null;
  totalPrice: number;
  financialStatus: string | null;
  fulfillmentStatus: string | null;
  cancelledAt: string | null;
  createdAt: string | null;
  updatedAt: string | null;
  lineItems: NormalizedLineItem[];
}

export interface NormalizedShipment {
  fulfillmentId: string;
  orderId: string;
  status: string | null;
  shipmentStatus: string | null;
  carrier: string | null;
  trackingNumbers: string[];
  trackingUrls: string[];
  estimatedDeliveryAt: string | null;
  /** When the fulfillment was made at the platform (its created_at): the start of every delivery duration. */
  shippedAt: string | null;
  happenedAt: string | null;
  lineItems: NormalizedLineItem[];
  /**
   * The customer collects it at the store (its fulfillment order's delivery method is PICK_UP):
   * fulfilled means collected, and nothing was shipped. Unset when Shopify was not asked (it has tracking).
   */
  localPickup?: boolean;
}

export type Normalized<T> = { ok: true; value: T } | { ok: false; reason: string };

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const text = (value: unknown): string | null =>
  typeof value === "string" && value.trim() ? value.trim() : typeof value === "number" ? String(value) : null;
const id = (value: unknown): string | null =>
  typeof value === "string" || typeof value === "number" ? String(value) : null;
const money = (value: unknown): number => {
  const parsed = typeof value === "number" ? value : Number.parseFloat(String(value ?? ""));
  return Number.isFinite(parsed) ? parsed : 0;
};
const date = (value: unknown): string | null => {
  const raw = text(value);
  if (!raw) return null;
  const parsed = new Date(raw);
  return Number.isNaN(parsed.getTime()) ? null : parsed.toISOString();
};
const countryCode = (address: Json): string | null => {
  const code = text(address.country_code);
  return code && /^[A-Za-z]{2}$/.test(code) ? code.toUpperCase() : null;
};
const strings = (...values: unknown[]): string[] => [
  ...new Set(
    values
      .flatMap((value) => (Array.isArray(value) ? value : [value]))
      .map(text)
      .filter((v): v is string => Boolean(v)),
  ),
];

function lineItems(value: unknown): NormalizedLineItem[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isObject).flatMap((item) => {
    const itemId = id(item.id);
    if (!itemId) return [];
    return [
      {
        id: itemId,
        title: text(item.title) ?? text(item.name) ?? "Item",
        variantTitle: text(item.variant_title),
        sku: text(item.sku),
        quantity: Math.max(0, Math.trunc(money(item.quantity))),
        price: money(item.price),
        productId: id(item.product_id),
        variantId: id(item.variant_id),
      },
    ];
  });
}

/** The customer's GID: Shopify sends it beside the numeric id, which is read exactly when only that is given. */
function customerGid(customer: Json): string | null {
  const gid = text(customer.admin_graphql_api_id);
  if (gid?.startsWith("gid://shopify/Customer/")) return gid;
  const legacy = id(customer.id);
  return legacy && /^\d+$/.test(legacy) ? `gid://shopify/Customer/${legacy}` : null;
}

export function normalizeOrder(payload: unknown, store: StoreContext = {}): Normalized<NormalizedOrder> {
  if (!isObject(payload)) return { ok: false, reason: "order payload is not an object" };
  const orderId = id(payload.id);
  if (!orderId) return { ok: false, reason: "order payload has no id" };
  const customer = isObject(payload.customer) ? payload.customer : {};
  const billing = isObject(payload.billing_address) ? payload.billing_address : {};
  const shipping = isObject(payload.shipping_address) ? payload.shipping_address : {};
  return {
    ok: true,
    value: {
      id: orderId,
      name: text(payload.name) ?? `#${text(payload.order_number) ?? orderId}`,
      number: text(payload.order_number),
      contact: {
        email: text(payload.email) ?? text(payload.contact_email) ?? text(customer.email),
        phone: text(payload.phone) ?? text(customer.phone) ?? text(shipping.phone) ?? text(billing.phone),
        firstName: text(customer.first_name) ?? text(billing.first_name) ?? text(shipping.first_name),
        lastName: text(customer.last_name) ?? text(billing.last_name) ?? text(shipping.last_name),
        company: text(billing.company) ?? text(shipping.company),
        country: countryCode(shipping) ?? countryCode(billing) ?? store.country ?? null,
        customerId: customerGid(customer),
      },
      currency: text(payload.currency),
      totalPrice: money(payload.total_price),
      financialStatus: text(payload.financial_status),
      fulfillmentStatus: text(payload.fulfillment_status),
      cancelledAt: date(payload.cancelled_at),
      createdAt: date(payload.created_at),
      updatedAt: date(payload.updated_at),
      lineItems: lineItems(payload.line_items),
    },
  };
}

/** A fulfillment (fulfillments/create|update) as a shipment. */
export function normalizeFulfillment(payload: unknown): Normalized<NormalizedShipment> {
  if (!isObject(payload)) return { ok: false, reason: "fulfillment payload is not an object" };
  const fulfillmentId = id(payload.id);
  const orderId = id(payload.order_id);
  if (!fulfillmentId || !orderId) return { ok: false, reason: "fulfillment payload has no id or order_id" };
  return {
    ok: true,
    value: {
      fulfillmentId,
      orderId,
      status: text(payload.status),
      shipmentStatus: text(payload.shipment_status),
      carrier: text(payload.tracking_company),
      trackingNumbers: strings(payload.tracking_numbers, payload.tracking_number),
      trackingUrls: strings(payload.tracking_urls, payload.tracking_url),
      estimatedDeliveryAt: date(payload.estimated_delivery_at),
      shippedAt: date(payload.created_at),
      happenedAt: date(payload.updated_at) ?? date(payload.created_at),
      lineItems: lineItems(payload.line_items),
    },
  };
}

/** A carrier scan (fulfillment_events/create): what happened to which shipment, and when. */
export function normalizeFulfillmentEvent(payload: unknown) {
  if (!isObject(payload)) return { ok: false as const, reason: "fulfillment event payload is not an object" };
  const fulfillmentId = id(payload.fulfillment_id);
  const orderId = id(payload.order_id);
  if (!fulfillmentId || !orderId)
    return { ok: false as const, reason: "fulfillment event has no fulfillment_id or order_id" };
  return {
    ok: true as const,
    value: {
      eventId: id(payload.id),
      fulfillmentId,
      orderId,
      status: text(payload.status),
      message: text(payload.message),
      happenedAt: date(payload.happened_at) ?? date(payload.created_at),
      estimatedDeliveryAt: date(payload.estimated_delivery_at),
      location: [text(payload.city), text(payload.province), text(payload.country)].filter(Boolean).join(", ") || null,
    },
  };
}

/** A shipment known only by its ids, until its fulfillment arrives. */
export function emptyShipment(fulfillmentId: string, orderId: string): NormalizedShipment {
  return {
    fulfillmentId,
    orderId,
    status: null,
    shipmentStatus: null,
    carrier: null,
    trackingNumbers: [],
    trackingUrls: [],
    estimatedDeliveryAt: null,
    shippedAt: null,
    happenedAt: null,
    lineItems: [],
  };
}
