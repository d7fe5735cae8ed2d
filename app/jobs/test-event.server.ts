import type { Shop } from "@prisma/client";
import { klaviyoConnectionOf } from "../klaviyo/connection-store.server";
import { buildEventPayload } from "../klaviyo/event-payload";
import { orderStory } from "../platform/sample-order";
import { storeDomainOf } from "../shops/shop-identity";
import { markTestEventAccepted } from "../shops/shops.server";
import { EVENT_CATALOG, type EventKey } from "../tracking/event-catalog";
import { normalizeFulfillment, normalizeOrder } from "../tracking/normalize";
import { sendInLane } from "./lane-send.server";
import { takeFromLane } from "./lane-store.server";
import { laneKey } from "./lanes";

export type TestEventResult =
  | { ok: true; metric: string; email: string; status: number; latencyMs: number }
  | { ok: false; metric: string; email: string; status: number | null; message: string };

/**
 * The Create Event body of a sample of the event: a made-up order (#1001, two items, shipped by
 * UPS) for the profile `email`, with the real metric name and `waypost_test_event: true` so a
 * flow can leave samples out. Undefined when `email` cannot receive Klaviyo events.
 */
export function samplePayload(
  shop: Shop,
  eventKey: EventKey,
  email: string,
  { uniqueId, happenedAt, backfill = false }: { uniqueId: string; happenedAt: Date; backfill?: boolean },
) {
  const event = EVENT_CATALOG.find((entry) => entry.key === eventKey)!;
  const story = orderStory({ orderId: 1001, email, phone: null });
  const order = normalizeOrder(story[0].body);
  const shipment = normalizeFulfillment(story.find((webhook) => webhook.topic === "fulfillments/create")!.body);
  if (!order.ok || !shipment.ok) throw new Error("the sample order no longer normalizes");
  return buildEventPayload({
    eventKey,
    uniqueId,
    happenedAt: happenedAt.toISOString(),
    store: { name: shop.name, domain: storeDomainOf(shop) },
    order: order.value,
    shipment: event.lifecycle === "shipment" ? shipment.value : null,
    lineItemId: eventKey === "ordered_product" ? order.value.lineItems[0].id : null,
    timeZone: shop.timezone,
    extraProperties: { waypost_test_event: true },
    backfill,
  });
}

/**
 * Sends one sample of an event to the merchant's own Klaviyo, for a profile they choose, so they
 * can build and check a flow before real orders arrive. The sample is a made-up order (#1001, two
 * items, shipped by UPS) with the real metric name and `waypost_test_event: true`; it goes out at
 * once, outside the queue, and never appears in Activity. Klaviyo's answer means what it means
 * for any send (a 429 pauses the lane, a refused key asks for a reconnect), and is shown.
 */
export async function sendTestEvent(
  shop: Shop,
  eventKey: EventKey,
  email: string,
  now = new Date(),
): Promise<TestEventResult> {
  const event = EVENT_CATALOG.find((entry) => entry.key === eventKey)!;
  const refused = (message: string, status: number | null = null): TestEventResult => ({
    ok: false,
    metric: event.metric,
    email,
    status,
    message,
  });
  const needsReconnect = "Klaviyo needs to be reconnected before it can receive events.";

  const connection = await klaviyoConnectionOf(shop.id);
  if (!connection) return refused("Connect Klaviyo first, on the Integrations page.");
  if (connection.status !== "connected") return refused(needsReconnect);

  const payload = samplePayload(shop, eventKey, email, {
    uniqueId: `waypost-test:${shop.id}:${eventKey}:${now.getTime()}`,
    happenedAt: now,
  });
  if (!payload) return refused("That email address cannot receive Klaviyo events.");

  // A test event counts against the account's limit like any other.
  const lane = laneKey(connection.accountId, "events");
  const { granted, waitMs } = await takeFromLane(lane, "events", 1, now.getTime());
  if (granted === 0)
    return refused(`Your Klaviyo account is at its rate limit; try again in ${Math.ceil(waitMs / 1000)} s.`);

  const send = await sendInLane({
    lane: { key: lane, kind: "events" },
    connection,
    attempts: 0,
    now,
    call: (klaviyo) => klaviyo.createEvent(payload),
  });
  if (send.held) return refused(needsReconnect);
  const { outcome } = send;
  if (!outcome.ok) return refused(`Klaviyo answered HTTP ${outcome.status}: ${outcome.detail}`, outcome.status || null);
  await markTestEventAccepted(shop.id, now);
  return { ok: true, metric: event.metric, email, status: outcome.status, latencyMs: outcome.latencyMs ?? 0 };
}
