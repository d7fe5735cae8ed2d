import type { Shop } from "@prisma/client";
import { prisma } from "../db.server";
import { orderStory } from "../platform/sample-order";
import { laneKey, takeFromLane } from "../jobs/lane-store.server";
import { EVENT_CATALOG, type EventKey } from "../tracking/event-catalog";
import { normalizeFulfillment, normalizeOrder } from "../tracking/normalize";
import { credentialOf } from "./connection-store.server";
import { buildEventPayload } from "./event-payload";
import { klaviyoApi } from "./klaviyo-config.server";

export type TestEventResult =
  | { ok: true; metric: string; email: string; status: number; latencyMs: number }
  | { ok: false; metric: string; email: string; status: number | null; message: string };

/**
 * Sends one sample of an event to the merchant's own Klaviyo, for a profile they choose, so they
 * can build and check a flow before real orders arrive. The sample is a made-up order (#1001, two
 * items, shipped by UPS) with the real metric name and `waypost_test_event: true`; it goes out at
 * once, outside the queue, and never appears in Activity.
 */
export async function sendTestEvent(shop: Shop, eventKey: EventKey, email: string, now = new Date()): Promise<TestEventResult> {
  const event = EVENT_CATALOG.find((entry) => entry.key === eventKey)!;
  const refused = (message: string, status: number | null = null): TestEventResult => ({ ok: false, metric: event.metric, email, status, message });

  const connection = await prisma.klaviyoConnection.findUnique({ where: { shopId: shop.id } });
  if (!connection) return refused("Connect Klaviyo first, on the Integrations page.");
  if (connection.status !== "connected") return refused("Klaviyo needs to be reconnected before it can receive events.");

  const story = orderStory({ orderId: 1001, email, phone: null });
  const order = normalizeOrder(story[0].body);
  const shipment = normalizeFulfillment(story.find((webhook) => webhook.topic === "fulfillments/create")!.body);
  if (!order.ok || !shipment.ok) throw new Error("the sample order no longer normalizes");
  const payload = buildEventPayload({
    eventKey,
    uniqueId: `waypost-test:${shop.id}:${eventKey}:${now.getTime()}`,
    happenedAt: now.toISOString(),
    store: { name: shop.name, domain: shop.domain },
    order: order.value,
    shipment: event.lifecycle === "shipment" ? shipment.value : null,
    lineItemId: eventKey === "ordered_product" ? order.value.lineItems[0].id : null,
    timeZone: shop.timezone,
    extraProperties: { waypost_test_event: true },
  });
  if (!payload) return refused("That email address cannot receive Klaviyo events.");

  // A test event counts against the account's limit like any other.
  const { granted, waitMs } = await takeFromLane(laneKey(connection.accountId, "events"), "events", 1, now.getTime());
  if (granted === 0) return refused(`Your Klaviyo account is at its rate limit; try again in ${Math.ceil(waitMs / 1000)} s.`);

  const outcome = await klaviyoApi(credentialOf(connection)).request("POST", "/api/events", payload);
  if (!outcome.ok) return refused(`Klaviyo answered HTTP ${outcome.status}: ${outcome.detail}`, outcome.status || null);
  await prisma.shop.update({ where: { id: shop.id }, data: { testEventAcceptedAt: now } });
  return { ok: true, metric: event.metric, email, status: outcome.status, latencyMs: outcome.latencyMs ?? 0 };
}
