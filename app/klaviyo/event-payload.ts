import { localDate } from "../tracking/delays";
import { metricFor, type EventKey } from "../tracking/event-catalog";
import type { NormalizedOrder, NormalizedShipment } from "../tracking/normalize";
import { phoneNote } from "../tracking/contact";
import { profileAttributes } from "./profile";

export interface StoreIdentity {
  name: string;
  domain: string;
  /** The store's currency (ISO 4217), for an order that does not carry its own; null until read from Shopify. */
  currency?: string | null;
}

/**
 * Whether a tracking link may go into a customer's email: an absolute http(s) URL. Anything
 * else (javascript:, data:, a bare tracking number) is left out, never passed on.
 */
export function isWebLink(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === "https:" || protocol === "http:";
  } catch {
    return false;
  }
}

/** The currency an event's value is in: the order's own, else the store's; never a guess. */
export const currencyOf = (order: NormalizedOrder, store: StoreIdentity): string | null =>
  order.currency ?? store.currency ?? null;

export interface EventInput {
  eventKey: EventKey;
  uniqueId: string;
  happenedAt: string | null;
  store: StoreIdentity;
  order: NormalizedOrder;
  shipment?: NormalizedShipment | null;
  lineItemId?: string | null;
  status?: string | null;
  /** Each line item's product image, by variant id (the variant's own, else its product's). */
  imageUrls?: Record<string, string>;
  backfill?: boolean;
  /** The store's time zone: dates meant for the customer's eyes are written in it. */
  timeZone?: string;
  extraProperties?: Record<string, unknown>;
}

/**
 * The Create Event body for one detected event (Klaviyo JSON:API, revision 2026-07-15). Pure:
 * what it returns is frozen into the outbox, so a retry sends identical bytes.
 * Returns undefined when the order has no email or usable phone number.
 */
export function buildEventPayload(input: EventInput) {
  const profile = profileAttributes(input.order.contact);
  if (!profile) return undefined;
  const { order, shipment, store } = input;
  const lineItem = input.lineItemId ? order.lineItems.find((item) => item.id === input.lineItemId) : undefined;
  const items = (shipment?.lineItems.length ? shipment.lineItems : order.lineItems).map((item) => ({
    title: item.title,
    variant_title: item.variantTitle,
    sku: item.sku,
    quantity: item.quantity,
    price: item.price,
    product_id: item.productId,
    image_url: input.imageUrls?.[item.variantId ?? ""] ?? null,
  }));

  const properties = {
    order_id: order.id,
    order_name: order.name,
    order_number: order.number,
    store_name: store.name,
    store_domain: store.domain,
    status: input.status ?? null,
    ...(shipment
      ? {
          fulfillment_id: shipment.fulfillmentId,
          tracking_number: shipment.trackingNumbers[0] ?? null,
          tracking_numbers: shipment.trackingNumbers,
          carrier: shipment.carrier,
          tracking_url: shipment.trackingUrls.find(isWebLink) ?? null,
          estimated_delivery_at: shipment.estimatedDeliveryAt,
          estimated_delivery_date: localDate(shipment.estimatedDeliveryAt, input.timeZone ?? "UTC"),
        }
      : {}),
    ...(lineItem
      ? {
          product_name: lineItem.title,
          sku: lineItem.sku,
          quantity: lineItem.quantity,
          price: lineItem.price,
          product_id: lineItem.productId,
        }
      : { line_items: items, item_names: items.map((item) => item.title) }),
    ...input.extraProperties,
  };

  const value = lineItem ? lineItem.price * lineItem.quantity : order.totalPrice;
  const currency = currencyOf(order, store);
  return {
    data: {
      type: "event",
      attributes: {
        metric: { data: { type: "metric", attributes: { name: metricFor(input.eventKey) } } },
        profile: { data: { type: "profile", attributes: profile } },
        properties,
        // When it happened at the carrier or the store, to the second, not when we processed it.
        ...(input.happenedAt ? { time: new Date(input.happenedAt).toISOString().replace(/\.\d{3}Z$/, "Z") } : {}),
        // A value in an unknown currency would be counted in the Klaviyo account's: none is sent.
        ...(currency ? { value: Math.round(value * 100) / 100, value_currency: currency } : {}),
        unique_id: input.uniqueId,
        ...(input.backfill ? { backfill: true } : {}),
      },
    },
  };
}

/**
 * What the event's Klaviyo body leaves out of what the platform sent, and why, in the
 * merchant's words: shown beside the event in Activity. Pure; empty when nothing was left out.
 */
export function leftOutOfEvent(input: Pick<EventInput, "order" | "shipment" | "store">): string[] {
  const refusedLinks = (input.shipment?.trackingUrls ?? []).filter((url) => !isWebLink(url));
  return [
    phoneNote(input.order.contact),
    ...refusedLinks.map(
      (url) => `The tracking link "${url.slice(0, 100)}" is not a web address (http or https), so it was left out.`,
    ),
    currencyOf(input.order, input.store)
      ? undefined
      : "Neither the order nor the store's details (not read from Shopify yet) say its currency, so the event was sent without a value.",
  ].filter((note): note is string => Boolean(note));
}

/** Any frozen Create Event body: an order's (buildEventPayload) or a storefront event's. */
type EventPayload = {
  data: {
    type: string;
    attributes: { profile: { data: { type: string; attributes: object } } } & Record<string, unknown>;
  };
};

/**
 * Bulk Create Events takes events grouped by profile. Built from the frozen Create Event
 * bodies, so an event sent in bulk carries exactly what it would have carried alone.
 * `sources[group][event]` is the index in `payloads` of each event as placed in the body.
 */
export function bulkCreateEventsBody(payloads: EventPayload[]) {
  const groups = new Map<
    string,
    {
      profile: EventPayload["data"]["attributes"]["profile"];
      events: Array<Omit<EventPayload["data"]["attributes"], "profile">>;
      sources: number[];
    }
  >();
  for (const [index, payload] of payloads.entries()) {
    const { profile, ...event } = payload.data.attributes;
    const key = JSON.stringify(profile.data.attributes);
    const group = groups.get(key) ?? { profile, events: [], sources: [] };
    group.events.push(event);
    group.sources.push(index);
    groups.set(key, group);
  }
  const body = {
    data: {
      type: "event-bulk-create-job",
      attributes: {
        "events-bulk-create": {
          data: [...groups.values()].map(({ profile, events }) => ({
            type: "event-bulk-create",
            attributes: { profile, events: { data: events.map((attributes) => ({ type: "event", attributes })) } },
          })),
        },
      },
    },
  };
  return { body, sources: [...groups.values()].map((group) => group.sources) };
}

/**
 * Which events of a bulk body Klaviyo's 400 points at ("…/events-bulk-create/data/3/events/0"),
 * as indexes into the payloads it was built from. Empty when it names none.
 */
export function refusedBulkEvents(detail: string, sources: number[][]): number[] {
  const refused = [...detail.matchAll(/events-bulk-create\/data\/(\d+)\/events\/(\d+)/g)].map(
    (match) => sources[Number(match[1])]?.[Number(match[2])],
  );
  return [...new Set(refused.filter((index): index is number => index !== undefined))];
}
