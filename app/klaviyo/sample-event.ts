import { orderStory } from "../platform/sample-order";
import { storeDomainOf, type ShopIdentity } from "../shops/shop-identity";
import { EVENT_CATALOG, type EventKey } from "../tracking/event-catalog";
import { normalizeFulfillment, normalizeOrder } from "../tracking/normalize";
import { buildEventPayload } from "./event-payload";
import { sampleStorefrontEvent } from "./storefront-sample";
import { buildStorefrontPayload } from "./storefront-payload";

/**
 * The Klaviyo body an event sends, built by the real payload builder from the sample order (#1001,
 * two items, shipped by UPS): what a test event sends, and what Track Settings previews. Null when
 * the email cannot receive Klaviyo events. A test event carries `waypost_test_event: true` besides.
 */
export function sampleEventPayload(
  shop: ShopIdentity,
  eventKey: EventKey,
  {
    email,
    uniqueId,
    now,
    test,
    backfill = false,
  }: { email: string; uniqueId: string; now: Date; test: boolean; backfill?: boolean },
) {
  const event = EVENT_CATALOG.find((entry) => entry.key === eventKey)!;
  const story = orderStory({ orderId: 1001, email, phone: null });
  const order = normalizeOrder(story[0].body);
  const shipment = normalizeFulfillment(story.find((webhook) => webhook.topic === "fulfillments/create")!.body);
  if (!order.ok || !shipment.ok) throw new Error("the sample order no longer normalizes");
  const store = { name: shop.name, domain: storeDomainOf(shop), currency: shop.currency };
  // A storefront event's sample is a shopper's, for the same email, on the sample order's mug.
  const payload =
    event.lifecycle === "storefront"
      ? buildStorefrontPayload({
          eventKey,
          uniqueId,
          event: sampleStorefrontEvent(eventKey, store.domain, now),
          clientId: "waypost-sample-visitor",
          contact: { email, phone: null, firstName: null, lastName: null, company: null, country: null },
          store,
          ...(test ? { extraProperties: { waypost_test_event: true } } : {}),
          backfill,
        })
      : buildEventPayload({
          eventKey,
          uniqueId,
          happenedAt: now.toISOString(),
          store,
          order: order.value,
          shipment: event.lifecycle === "shipment" ? shipment.value : null,
          lineItemId: eventKey === "ordered_product" ? order.value.lineItems[0].id : null,
          timeZone: shop.timezone,
          // A test is marked, so a flow can tell it apart; the preview shows the event as it really goes out.
          ...(test ? { extraProperties: { waypost_test_event: true } } : {}),
          backfill,
        });
  return { payload, order: order.value, shipment: event.lifecycle === "shipment" ? shipment.value : null };
}

/** Each event's Klaviyo body for the sample order, as Track Settings previews it (null: it sends none). */
export function eventPreviews(shop: ShopIdentity, now = new Date()): Record<string, string | null> {
  return Object.fromEntries(
    EVENT_CATALOG.map((event) => {
      const { payload } = sampleEventPayload(shop, event.key, {
        email: "ann.lee@example.com",
        uniqueId: `waypost-preview:${event.key}`,
        now,
        test: false,
      });
      return [event.key, payload ? JSON.stringify(payload, null, 2) : null];
    }),
  );
}
