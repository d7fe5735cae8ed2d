import type { PixelBatch, PixelEvent, PixelEventName } from "../platform/pixel-batch";
import type { EventKey } from "./event-catalog";
import type { Contact } from "./normalize";

// What a storefront pixel batch brings: which catalog event each standard event is, its unique
// key, when a page view starts a visit, and who the visitor said they are. Pure.

export const EVENT_OF_PIXEL: Record<PixelEventName, EventKey> = {
  page_viewed: "active_on_site",
  product_viewed: "viewed_product",
  collection_viewed: "viewed_collection",
  search_submitted: "searched_site",
  product_added_to_cart: "added_to_cart",
  checkout_started: "started_checkout",
  logged_in: "logged_in",
};

/** The pixel events to send, for the catalog events a shop has turned on (the pixel's settings). */
export const pixelEventsFor = (enabledEvents: readonly string[]): PixelEventName[] =>
  (Object.keys(EVENT_OF_PIXEL) as PixelEventName[]).filter((name) => enabledEvents.includes(EVENT_OF_PIXEL[name]));

/** A visit ends after 30 minutes without a page view (the usual web analytics session). */
export const VISIT_GAP_MS = 30 * 60_000;

/** Whether a page view at `at` starts a new visit, after the visitor's last one. */
export const startsVisit = (lastPageViewAt: Date | null, at: Date): boolean =>
  !lastPageViewAt || at.getTime() - lastPageViewAt.getTime() >= VISIT_GAP_MS;

/** The event's key, and its Klaviyo unique_id: Shopify's event id, within the shop. */
export const storefrontUniqueKey = (shopDomain: string, event: Pick<PixelEvent, "id">) =>
  `${shopDomain}:pixel:${event.id}`;

/** Who the browser turned out to be, as far as the batch says. */
export interface VisitorIdentity {
  customerId: string | null;
  email: string | null;
  phone: string | null;
  firstName: string | null;
  lastName: string | null;
}

const present = (value: string | null | undefined) => (value?.trim() ? value.trim() : null);

/**
 * What the batch says about the visitor: the logged-in customer (init.data.customer), else an
 * email or phone typed at checkout. Null when it says nothing. The batch's word wins over what
 * was known before, field by field.
 */
export function identityInBatch(batch: Pick<PixelBatch, "customer" | "events">): Partial<VisitorIdentity> | null {
  const checkout = batch.events.map((event) => event.data.checkout).find((found) => found?.email || found?.phone);
  const identity = {
    customerId: present(batch.customer?.id),
    email: (present(batch.customer?.email) ?? present(checkout?.email))?.toLowerCase() ?? null,
    phone: present(batch.customer?.phone) ?? present(checkout?.phone),
    firstName: present(batch.customer?.firstName),
    lastName: present(batch.customer?.lastName),
  };
  const known = Object.fromEntries(Object.entries(identity).filter(([, value]) => value !== null));
  return Object.keys(known).length ? known : null;
}

/** The visitor's identity as a contact, for the profile's email, E.164 phone and name. */
export function contactOfVisitor(identity: Partial<VisitorIdentity> | null): Contact {
  return {
    email: identity?.email?.toLowerCase() ?? null,
    phone: identity?.phone ?? null,
    firstName: identity?.firstName ?? null,
    lastName: identity?.lastName ?? null,
    company: null,
    country: null,
  };
}
