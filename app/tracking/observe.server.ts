import type { ShopIdentity } from "../shops/shop-identity";
import { customerIdentity } from "./contact";
import { detectOrderEvents, detectShipmentEvent, uniqueKeyFor, type Detection } from "./detect";
import { fulfillmentOrderOutcome, readFulfillmentOrder, type FulfillmentOrderChange } from "./fulfillment-orders";
import {
  emptyShipment,
  normalizeFulfillment,
  normalizeFulfillmentEvent,
  normalizeOrder,
  type NormalizedOrder,
  type NormalizedShipment,
} from "./normalize";
import { knownOrder, knownShipment, rememberOrder, rememberShipment } from "./tracking-store.server";

/**
 * What one tracking webhook showed: the order it is about, its shipment if any, the events it
 * brings (each with its unique key) and the status its payload carried. Observing keeps the
 * newest snapshot of the order and shipment; recording the events is the next stage's.
 */
export interface Observation {
  order: NormalizedOrder;
  shipment: NormalizedShipment | null;
  detections: Detection[];
  status: string | null;
  /** What happened, for Activity, when it brings no event (a cancelled fulfillment order, a release while unpaid). */
  note?: string;
}

/** Nothing to record, and why (logged by the caller). */
export interface NothingObserved {
  nothing: string;
  fields: Record<string, unknown>;
}

export interface TrackingWebhook {
  payload: unknown;
  /** When Shopify says it happened (X-Shopify-Triggered-At), else when it arrived. */
  happenedAt: Date;
  /** fulfillments/*: whether Shopify says the fulfillment is a local pickup (asked only when it has no tracking). */
  localPickup?: boolean;
}

/** The webhook is about an order Waypost has not seen: it is completed from Shopify, then observed again. */
export interface NeedsOrder {
  unknownOrder: string;
}

export type Observer = (
  shop: ShopIdentity,
  webhook: TrackingWebhook,
) => Promise<Observation | NothingObserved | NeedsOrder>;

const nothing = (reason: string, fields: Record<string, unknown> = {}): NothingObserved => ({
  nothing: reason,
  fields,
});

/** orders/*: the order's newest snapshot, and the lifecycle events it shows. */
export const observeOrder: Observer = async (shop, { payload }) => {
  const normalized = normalizeOrder(payload, { country: shop.countryCode });
  if (!normalized.ok) return nothing("order webhook unusable", { reason: normalized.reason });
  const order = await rememberOrder(shop.id, normalized.value);
  return { order, shipment: null, detections: detectOrderEvents(shop.domain, order), status: null };
};

/** fulfillments/*: a shipment made or updated, moved forward to the milestone it shows. */
export const observeFulfillment: Observer = async (shop, { payload, localPickup }) => {
  const normalized = normalizeFulfillment(payload);
  if (!normalized.ok) return nothing("fulfillment webhook unusable", { reason: normalized.reason });
  // A collected pickup was never shipped: no ship time, so it adds no days to deliver.
  const shipment: NormalizedShipment =
    localPickup === undefined
      ? normalized.value
      : { ...normalized.value, localPickup, ...(localPickup ? { shippedAt: null } : {}) };
  // A fulfillment before its order: the order (its currency, value, customer) is read from Shopify first.
  const order = await knownOrder(shop.id, shipment.orderId);
  if (!order) return { unknownOrder: shipment.orderId };
  const detection = await advanceShipment(shop, shipment, order, {
    shopifyStatus: shipment.shipmentStatus,
    fulfilled: shipment.status === "success",
    localPickup: shipment.localPickup,
    happenedAt: shipment.happenedAt,
    carrierUpdateAt: null,
  });
  return { order, shipment, detections: detection ? [detection] : [], status: shipment.shipmentStatus };
};

/** fulfillment_events/create: a carrier scan moves its shipment forward and may bring a new estimate. */
export const observeCarrierScan: Observer = async (shop, { payload }) => {
  const normalized = normalizeFulfillmentEvent(payload);
  if (!normalized.ok) return nothing("fulfillment event unusable", { reason: normalized.reason });
  const scan = normalized.value;
  const order = await knownOrder(shop.id, scan.orderId);
  // Installed mid-life, or its earlier webhooks missed: the order and its shipments are read from Shopify first.
  if (!order) return { unknownOrder: scan.orderId };
  const previous = await knownShipment(shop.id, scan.fulfillmentId);
  const shipment: NormalizedShipment = {
    ...(previous?.shipment ?? emptyShipment(scan.fulfillmentId, scan.orderId)),
    estimatedDeliveryAt: scan.estimatedDeliveryAt ?? previous?.shipment.estimatedDeliveryAt ?? null,
  };
  const detection = await advanceShipment(shop, shipment, order, {
    shopifyStatus: scan.status,
    fulfilled: false,
    happenedAt: scan.happenedAt,
    carrierUpdateAt: scan.happenedAt,
  });
  return { order, shipment, detections: detection ? [detection] : [], status: scan.status };
};

/**
 * fulfillment_orders/*: what the change of one fulfillment order means for its order (Order On
 * Hold, Order Awaiting Shipment, Order Processing, Ready for Pickup), once each by its unique key,
 * or a note saying why it brings nothing. Shopify's payload names only the fulfillment order's
 * GID; the receipt worker resolves its order_id through the Admin API first.
 */
export const observeFulfillmentOrder =
  (change: FulfillmentOrderChange): Observer =>
  async (shop, { payload, happenedAt }) => {
    const fulfillmentOrder = readFulfillmentOrder(payload);
    if (!fulfillmentOrder) return nothing("the webhook names no fulfillment order or order", { change });
    const order = await knownOrder(shop.id, fulfillmentOrder.orderId);
    if (!order) return { unknownOrder: fulfillmentOrder.orderId };
    const outcome = fulfillmentOrderOutcome(change, fulfillmentOrder, order);
    const observed = { order, shipment: null, status: fulfillmentOrder.status };
    if ("none" in outcome) return { ...observed, detections: [], note: outcome.none };
    const detection: Detection = {
      eventKey: outcome.eventKey,
      uniqueKey: uniqueKeyFor(shop.domain, order.id, outcome.scope, outcome.eventKey),
      orderId: order.id,
      fulfillmentId: null,
      lineItemId: null,
      happenedAt: happenedAt.toISOString(),
    };
    return { ...observed, detections: [detection] };
  };

/**
 * Moves a shipment forward and returns the event that brings, if any. Retried when another
 * worker moved the same shipment meanwhile (compare-and-swap), so the stored milestone never goes back.
 */
async function advanceShipment(
  shop: ShopIdentity,
  shipment: NormalizedShipment,
  order: NormalizedOrder | undefined,
  observed: {
    shopifyStatus: string | null;
    fulfilled: boolean;
    localPickup?: boolean;
    happenedAt: string | null;
    carrierUpdateAt: string | null;
  },
): Promise<Detection | null> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const previous = await knownShipment(shop.id, shipment.fulfillmentId);
    const { milestone, detection } = detectShipmentEvent(shop.domain, previous?.milestone ?? null, {
      orderId: shipment.orderId,
      fulfillmentId: shipment.fulfillmentId,
      shopifyStatus: observed.shopifyStatus,
      fulfilled: observed.fulfilled,
      localPickup: observed.localPickup,
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
