import type { EventKey } from "./event-catalog";
import type { NormalizedOrder } from "./normalize";
import { advance, eventForMilestone, milestoneForShopifyStatus, type Milestone } from "./shipment-milestones";

/** One event Waypost has seen happen, with the key that makes it happen only once. */
export interface Detection {
  eventKey: EventKey;
  uniqueKey: string;
  orderId: string;
  fulfillmentId: string | null;
  lineItemId: string | null;
  happenedAt: string | null;
}

/**
 * The idempotency key of an event, stable across duplicate and out-of-order webhooks and
 * restarts; it becomes Klaviyo's unique_id, so Klaviyo itself drops any repeat.
 */
export function uniqueKeyFor(shopDomain: string, orderId: string, scope: string, eventKey: EventKey): string {
  return `${shopDomain}:${orderId}:${scope}:${eventKey}`;
}

// Orders the customer still has to pay: pending (e.g. bank transfer, cash on delivery) or
// partially paid. An authorized card is the merchant's to capture, not the customer's to pay.
const AWAITING_PAYMENT = new Set(["pending", "partially_paid"]);

/** Order lifecycle events an order snapshot shows (each fires once; the caller dedupes by key). */
export function detectOrderEvents(shopDomain: string, order: NormalizedOrder): Detection[] {
  const detection = (
    eventKey: EventKey,
    scope = "order",
    lineItemId: string | null = null,
    happenedAt = order.createdAt,
  ) => ({
    eventKey,
    uniqueKey: uniqueKeyFor(shopDomain, order.id, scope, eventKey),
    orderId: order.id,
    fulfillmentId: null,
    lineItemId,
    happenedAt,
  });
  const detections: Detection[] = [
    detection("placed_order"),
    ...order.lineItems.map((item) => detection("ordered_product", `line-${item.id}`, item.id)),
  ];
  if (order.financialStatus && AWAITING_PAYMENT.has(order.financialStatus) && !order.cancelledAt) {
    detections.push(detection("order_awaiting_payment"));
  }
  if (order.cancelledAt) detections.push(detection("order_cancelled", "order", null, order.cancelledAt));
  return detections;
}

export interface ShipmentObservation {
  orderId: string;
  fulfillmentId: string;
  /** Shopify's shipment_status or fulfillment event status, if any. */
  shopifyStatus: string | null;
  /** A fulfillment that exists and succeeded means the order has shipped, or for a local pickup that it was collected. */
  fulfilled: boolean;
  localPickup?: boolean;
  happenedAt: string | null;
}

/**
 * A shipment's next milestone after an observation, and the event it brings if it moved.
 * Late or repeated observations leave the milestone where it is and bring nothing.
 */
export function detectShipmentEvent(shopDomain: string, current: Milestone | null, observation: ShipmentObservation) {
  const fulfilledAs = observation.localPickup ? "delivered" : "label_created";
  const observed =
    milestoneForShopifyStatus(observation.shopifyStatus) ?? (observation.fulfilled ? fulfilledAs : undefined);
  const next = advance(current, observed);
  if (next === current || !next) return { milestone: current, detection: null };
  const eventKey = eventForMilestone(next);
  return {
    milestone: next,
    detection: {
      eventKey,
      uniqueKey: uniqueKeyFor(shopDomain, observation.orderId, observation.fulfillmentId, eventKey),
      orderId: observation.orderId,
      fulfillmentId: observation.fulfillmentId,
      lineItemId: null,
      happenedAt: observation.happenedAt,
    } satisfies Detection,
  };
}
