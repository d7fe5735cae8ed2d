import { buildEventPayload } from "../klaviyo/event-payload";
import { klaviyoConnectionOf } from "../klaviyo/connection-store.server";
import { profileAttributes } from "../klaviyo/profile";
import { trackSettingsFor } from "../settings/track-settings.server";
import type { ShopIdentity } from "../shops/shop-identity";
import type { Detection } from "../tracking/detect";
import { EVENT_STATUS } from "../tracking/event-status";
import { gateEvent } from "../tracking/gate";
import type { NormalizedOrder, NormalizedShipment } from "../tracking/normalize";
import { notifyWork } from "../work-signal.server";
import { alreadyRecorded, recordEvents, type NewEvent } from "./event-queue/record.server";
import { queueProfileSync } from "./profile-sync.server";

type Shop = ShopIdentity;

/** Records each detection once: queued with its frozen payload, or skipped with the reason. */
export async function recordDetections(
  shop: Shop,
  order: NormalizedOrder,
  shipment: NormalizedShipment | null,
  detections: Detection[],
  { status = null, extraProperties }: { status?: string | null; extraProperties?: Record<string, unknown> } = {},
): Promise<number> {
  if (detections.length === 0) return 0;
  const existing = await alreadyRecorded(shop.id, detections.map((detection) => detection.uniqueKey));
  const fresh = detections.filter((detection) => !existing.has(detection.uniqueKey));
  if (fresh.length === 0) return 0;

  const [settings, connection] = await Promise.all([
    trackSettingsFor(shop.id),
    klaviyoConnectionOf(shop.id),
  ]);
  const reachable = Boolean(profileAttributes(order.contact));
  const rows: NewEvent[] = fresh.map((detection) => {
    const decision = gateEvent({
      klaviyoConnected: Boolean(connection),
      goLive: settings.goLive,
      eventEnabled: settings.events.find((event) => event.key === detection.eventKey)?.enabled ?? false,
      reachable,
    });
    const identity = eventIdentity(shop, order, shipment, detection);
    if (!decision.send) return { ...identity, status: EVENT_STATUS.skipped, skipReason: decision.reason, payload: null, nextAttemptAt: null };
    const payload = frozenPayload(shop, order, shipment, detection, { status, extraProperties });
    return { ...identity, status: EVENT_STATUS.queued, skipReason: null, payload: payload ? JSON.stringify(payload) : null, nextAttemptAt: new Date() };
  });
  const { recorded, queued } = await recordEvents(rows);
  if (queued) {
    await queueProfileSync(shop.id, order.contact);
    notifyWork("event");
  }
  return recorded;
}

/** What a recorded event is found and shown by in Activity, live or historical. */
export function eventIdentity(shop: Shop, order: NormalizedOrder, shipment: NormalizedShipment | null, detection: Detection) {
  return {
    shopId: shop.id,
    uniqueKey: detection.uniqueKey,
    eventKey: detection.eventKey,
    orderId: detection.orderId,
    orderName: order.name,
    fulfillmentId: detection.fulfillmentId,
    happenedAt: detection.happenedAt ? new Date(detection.happenedAt) : null,
    customerEmail: order.contact.email?.toLowerCase() ?? null,
    trackingNumber: shipment?.trackingNumbers[0] ?? null,
  };
}

/** The Klaviyo body an event is sent with, built once and frozen with it. */
export function frozenPayload(
  shop: Shop,
  order: NormalizedOrder,
  shipment: NormalizedShipment | null,
  detection: Detection,
  { status, extraProperties, backfill }: { status: string | null; extraProperties?: Record<string, unknown>; backfill?: boolean },
) {
  return buildEventPayload({
    eventKey: detection.eventKey,
    uniqueId: detection.uniqueKey,
    happenedAt: detection.happenedAt,
    store: { name: shop.name, domain: shop.domain },
    order,
    shipment,
    lineItemId: detection.lineItemId,
    status,
    timeZone: shop.timezone,
    extraProperties,
    backfill,
  });
}
