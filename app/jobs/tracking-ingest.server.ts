import type { WebhookReceipt } from "@prisma/client";
import { prisma } from "../db.server";
import { buildEventPayload } from "../klaviyo/event-payload";
import { klaviyoConnectionOf } from "../klaviyo/connection-store.server";
import { profileAttributes } from "../klaviyo/profile";
import { customerIdentity } from "../tracking/contact";
import { log } from "../log.server";
import { trackSettingsFor } from "../settings/track-settings.server";
import type { ShopIdentity } from "../shops/shop-identity";
import { detectOrderEvents, detectShipmentEvent, uniqueKeyFor, type Detection } from "../tracking/detect";
import { gateEvent } from "../tracking/gate";
import {
  normalizeFulfillment,
  normalizeFulfillmentEvent,
  normalizeOrder,
  type NormalizedOrder,
  type NormalizedShipment,
} from "../tracking/normalize";
import { knownOrder, knownShipment, rememberOrder, rememberShipment } from "../tracking/tracking-store.server";
import { queueProfileSync } from "./profile-sync.server";
import { EVENT_STATUS } from "../tracking/event-status";
import { notifyWork } from "../work-signal.server";
import { alreadyRecorded, recordEvents, type NewEvent } from "./event-queue/record.server";

type Shop = ShopIdentity;

/**
 * Turns one stored tracking webhook into events: normalize, remember the newest state, detect
 * what changed, then record each event once, queued for Klaviyo or skipped with the reason.
 */
export async function ingestTrackingWebhook(receipt: WebhookReceipt, payload: unknown): Promise<unknown> {
  if (!receipt.shopId) return;
  const shop = await prisma.shop.findUnique({ where: { id: receipt.shopId }, select: { id: true, domain: true, name: true, timezone: true } });
  if (!shop) return;

  if (receipt.topic.startsWith("orders/")) {
    const normalized = normalizeOrder(payload);
    if (!normalized.ok) return log.warn("order webhook unusable", { receiptId: receipt.id, reason: normalized.reason });
    const order = await rememberOrder(shop.id, normalized.value);
    return recordDetections(shop, order, null, detectOrderEvents(shop.domain, order));
  }

  if (receipt.topic.startsWith("fulfillments/")) {
    const normalized = normalizeFulfillment(payload);
    if (!normalized.ok) return log.warn("fulfillment webhook unusable", { receiptId: receipt.id, reason: normalized.reason });
    const shipment = normalized.value;
    const order = (await knownOrder(shop.id, shipment.orderId)) ?? orderFromFulfillment(payload, shipment);
    const detection = await advanceShipment(shop, shipment, order, {
      shopifyStatus: shipment.shipmentStatus,
      fulfilled: shipment.status === "success",
      happenedAt: shipment.happenedAt,
      carrierUpdateAt: null,
    });
    return recordDetections(shop, order, shipment, detection ? [detection] : [], { status: shipment.shipmentStatus });
  }

  if (receipt.topic === "fulfillment_events/create") {
    const normalized = normalizeFulfillmentEvent(payload);
    if (!normalized.ok) return log.warn("fulfillment event unusable", { receiptId: receipt.id, reason: normalized.reason });
    const scan = normalized.value;
    const previous = await knownShipment(shop.id, scan.fulfillmentId);
    const shipment: NormalizedShipment = {
      ...(previous?.shipment ?? emptyShipment(scan.fulfillmentId, scan.orderId)),
      estimatedDeliveryAt: scan.estimatedDeliveryAt ?? previous?.shipment.estimatedDeliveryAt ?? null,
    };
    const order = await knownOrder(shop.id, scan.orderId);
    const detection = await advanceShipment(shop, shipment, order, {
      shopifyStatus: scan.status,
      fulfilled: false,
      happenedAt: scan.happenedAt,
      carrierUpdateAt: scan.happenedAt,
    });
    if (!order) return log.warn("carrier scan for an order Waypost has not seen", { receiptId: receipt.id, orderId: scan.orderId });
    return recordDetections(shop, order, shipment, detection ? [detection] : [], { status: scan.status });
  }

  if (receipt.topic === "fulfillment_orders/placed_on_hold") {
    const hold = (payload as { fulfillment_order?: { id?: string; order_id?: string | number } })?.fulfillment_order;
    const order = hold?.order_id ? await knownOrder(shop.id, String(hold.order_id)) : undefined;
    if (!order || !hold?.id) return;
    const detection: Detection = {
      eventKey: "order_on_hold",
      uniqueKey: uniqueKeyFor(shop.domain, order.id, `hold-${hold.id}`, "order_on_hold"),
      orderId: order.id,
      fulfillmentId: null,
      lineItemId: null,
      happenedAt: new Date(receipt.triggeredAt ?? receipt.receivedAt).toISOString(),
    };
    return recordDetections(shop, order, null, [detection], { status: "on_hold" });
  }
}

/**
 * Moves a shipment forward and returns the event that brings, if any. Retried when another
 * worker moved the same shipment meanwhile, so the stored milestone never goes back.
 */
async function advanceShipment(
  shop: Shop,
  shipment: NormalizedShipment,
  order: NormalizedOrder | undefined,
  observed: { shopifyStatus: string | null; fulfilled: boolean; happenedAt: string | null; carrierUpdateAt: string | null },
): Promise<Detection | null> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const previous = await knownShipment(shop.id, shipment.fulfillmentId);
    const { milestone, detection } = detectShipmentEvent(shop.domain, previous?.milestone ?? null, {
      orderId: shipment.orderId,
      fulfillmentId: shipment.fulfillmentId,
      shopifyStatus: observed.shopifyStatus,
      fulfilled: observed.fulfilled,
      happenedAt: observed.happenedAt,
    });
    const saved = await rememberShipment(shop.id, shipment, milestone, {
      readMilestone: previous ? previous.milestone : undefined,
      carrierUpdateAt: observed.carrierUpdateAt,
      customerIdentity: order ? customerIdentity(order.contact) : undefined,
      deliveredAt: milestone === "delivered" && previous?.milestone !== "delivered" ? observed.happenedAt : null,
    });
    if (saved) return detection;
  }
  throw new Error(`shipment ${shipment.fulfillmentId} kept changing under us; the receipt will be retried`);
}

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

function emptyShipment(fulfillmentId: string, orderId: string): NormalizedShipment {
  return {
    fulfillmentId,
    orderId,
    status: null,
    shipmentStatus: null,
    carrier: null,
    trackingNumbers: [],
    trackingUrls: [],
    estimatedDeliveryAt: null,
    happenedAt: null,
    lineItems: [],
  };
}

/** A fulfillment can arrive before its order: its email and destination still reach the customer. */
function orderFromFulfillment(payload: unknown, shipment: NormalizedShipment): NormalizedOrder {
  const body = (payload ?? {}) as Record<string, any>;
  const destination = body.destination ?? {};
  return {
    id: shipment.orderId,
    name: typeof body.name === "string" ? body.name.replace(/\.\d+$/, "") : `#${shipment.orderId}`,
    number: null,
    contact: {
      email: typeof body.email === "string" ? body.email : null,
      phone: typeof destination.phone === "string" ? destination.phone : null,
      firstName: destination.first_name ?? null,
      lastName: destination.last_name ?? null,
      company: destination.company ?? null,
    },
    currency: "USD",
    totalPrice: shipment.lineItems.reduce((sum, item) => sum + item.price * item.quantity, 0),
    financialStatus: null,
    fulfillmentStatus: null,
    cancelledAt: null,
    createdAt: null,
    updatedAt: null,
    lineItems: shipment.lineItems,
  };
}
