import type { EventKey } from "./event-catalog";
import type { NormalizedOrder } from "./normalize";

/**
 * Shopify's fulfillment_orders/* webhooks as documented: each names one fulfillment order by its
 * GID and status, never its order (the receipt worker asks Shopify which order it belongs to and
 * fills `order_id` in). Pure: what each change means for the order's customer.
 */
export const FULFILLMENT_ORDER_CHANGES = [
  "placed_on_hold",
  "hold_released",
  "order_routing_complete",
  "fulfillment_request_accepted",
  "progress_reported",
  "line_items_prepared_for_pickup",
  "cancelled",
] as const;

export type FulfillmentOrderChange = (typeof FULFILLMENT_ORDER_CHANGES)[number];

export interface FulfillmentOrderWebhook {
  id: string;
  orderId: string;
  /** open, on_hold, in_progress, cancelled, … (Shopify's FulfillmentOrderStatus, lower case). */
  status: string | null;
  /** pickup, local, shipping, … where the payload says (line_items_prepared_for_* do). */
  deliveryMethod: string | null;
  /** fulfillment_orders/cancelled: the fulfillment order Shopify made in its place, if any. */
  replacement: { id: string; status: string | null } | null;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null;
const text = (value: unknown) => (typeof value === "string" && value ? value : null);
const id = (value: unknown) => (typeof value === "string" || typeof value === "number" ? String(value) : null);

export function readFulfillmentOrder(payload: unknown): FulfillmentOrderWebhook | null {
  const body = isObject(payload) ? payload : {};
  const fulfillmentOrder = isObject(body.fulfillment_order) ? body.fulfillment_order : {};
  const foId = text(fulfillmentOrder.id);
  const orderId = id(fulfillmentOrder.order_id);
  if (!foId || !orderId) return null;
  const deliveryMethod = isObject(fulfillmentOrder.delivery_method) ? fulfillmentOrder.delivery_method : {};
  const replacement = isObject(body.replacement_fulfillment_order) ? body.replacement_fulfillment_order : {};
  const replacementId = text(replacement.id);
  return {
    id: foId,
    orderId,
    status: text(fulfillmentOrder.status),
    deliveryMethod: text(deliveryMethod.method_type),
    replacement: replacementId ? { id: replacementId, status: text(replacement.status) } : null,
  };
}

/** The event a change brings, with the scope of its unique key (so it fires once), or why it brings none. */
export type FulfillmentOrderOutcome = { eventKey: EventKey; scope: string } | { none: string };

// Paid, or authorized for the merchant to capture when it ships: nothing more is asked of the customer.
const READY_TO_SHIP = new Set(["paid", "partially_refunded", "authorized"]);

/** Why a paid order is not awaiting shipment now, if it is not. */
function notAwaitingShipment(order: NormalizedOrder, fulfillmentOrder: FulfillmentOrderWebhook): string | null {
  if (order.cancelledAt) return "the order is cancelled";
  if (order.fulfillmentStatus === "fulfilled") return "the order is already fulfilled";
  if (fulfillmentOrder.status !== "open")
    return `its fulfillment order is ${fulfillmentOrder.status ?? "of no status"}`;
  if (!order.financialStatus || !READY_TO_SHIP.has(order.financialStatus))
    return `the order is not paid (${order.financialStatus ?? "no payment status"})`;
  return null;
}

export function fulfillmentOrderOutcome(
  change: FulfillmentOrderChange,
  fulfillmentOrder: FulfillmentOrderWebhook,
  order: NormalizedOrder,
): FulfillmentOrderOutcome {
  const { id: foId } = fulfillmentOrder;
  switch (change) {
    case "placed_on_hold":
      return { eventKey: "order_on_hold", scope: `hold-${foId}` };
    case "hold_released":
    case "order_routing_complete": {
      const why = notAwaitingShipment(order, fulfillmentOrder);
      if (why) return { none: `no Order Awaiting Shipment: ${why}` };
      // Routed once per order; each fulfillment order's release from hold is the order ready again.
      return { eventKey: "order_awaiting_shipment", scope: change === "hold_released" ? `released-${foId}` : "routed" };
    }
    case "fulfillment_request_accepted":
    case "progress_reported":
      if (order.cancelledAt) return { none: "no Order Processing: the order is cancelled" };
      return { eventKey: "order_processing", scope: "processing" };
    case "line_items_prepared_for_pickup":
      if (fulfillmentOrder.deliveryMethod !== "pickup")
        return {
          none: `no Ready for Pickup: the delivery method is ${fulfillmentOrder.deliveryMethod ?? "not named"}`,
        };
      return { eventKey: "ready_for_pickup", scope: `pickup-${foId}` };
    case "cancelled": {
      const { replacement } = fulfillmentOrder;
      const replaced = replacement
        ? `, replaced by ${replacement.id} (${replacement.status ?? "no status"})`
        : ", with nothing in its place";
      return {
        none: `fulfillment order ${foId} of order ${order.name} was cancelled${replaced}; no customer event (a cancelled order sends Order Cancelled)`,
      };
    }
  }
}
