/**
 * Every event Waypost can send. The `metric` is the Klaviyo metric name merchants build flows
 * on: it is part of our contract with them, so never rename one.
 */
export interface CatalogEvent {
  key: string;
  metric: string;
  /** What brings it: an order, a shipment, or the storefront pixel (a shopper's activity, see storefront-events.ts). */
  lifecycle: "order" | "shipment" | "storefront";
  description: string;
  defaultEnabled: boolean;
  /** What on the platform brings the event: webhook topics and Shopify status values. */
  sources: readonly string[];
}

export const EVENT_CATALOG = [
  {
    key: "placed_order",
    metric: "Placed Order",
    lifecycle: "order",
    defaultEnabled: true,
    sources: ["orders/create"],
    description: "An order is placed.",
  },
  {
    key: "ordered_product",
    metric: "Ordered Product",
    lifecycle: "order",
    defaultEnabled: true,
    sources: ["orders/create (one per line item)"],
    description: "One event per line item of a placed order, for product-level flows.",
  },
  {
    key: "order_awaiting_payment",
    metric: "Order Awaiting Payment",
    lifecycle: "order",
    defaultEnabled: false,
    sources: ["financial_status: pending", "financial_status: partially_paid"],
    description: "An order is placed and the customer still has to pay for it (e.g. bank transfer, or partly paid).",
  },
  {
    key: "order_on_hold",
    metric: "Order On Hold",
    lifecycle: "order",
    defaultEnabled: false,
    sources: ["fulfillment_orders/placed_on_hold"],
    description: "Fulfillment of an order is put on hold.",
  },
  {
    key: "order_awaiting_shipment",
    metric: "Order Awaiting Shipment",
    lifecycle: "order",
    defaultEnabled: false,
    sources: [
      "fulfillment_orders/order_routing_complete (order paid, fulfillment order open)",
      "fulfillment_orders/hold_released",
    ],
    description: "A paid order is ready to ship: its fulfillment is routed to a location, or a hold on it is released.",
  },
  {
    key: "order_processing",
    metric: "Order Processing",
    lifecycle: "order",
    defaultEnabled: false,
    sources: ["fulfillment_orders/fulfillment_request_accepted", "fulfillment_orders/progress_reported"],
    description: "A fulfillment service (a warehouse) accepts the order or reports it is being prepared.",
  },
  {
    key: "order_cancelled",
    metric: "Order Cancelled",
    lifecycle: "order",
    defaultEnabled: true,
    sources: ["orders/cancelled", "cancelled_at set"],
    description: "An order is cancelled.",
  },
  {
    key: "order_shipped",
    metric: "Order Shipped",
    lifecycle: "shipment",
    defaultEnabled: true,
    sources: [
      "fulfillments/create (status success, not local pickup)",
      "label_printed",
      "label_purchased",
      "confirmed",
    ],
    description: "A shipping label is created or a fulfillment is made (never for a local pickup: nothing is shipped).",
  },
  {
    key: "in_transit",
    metric: "In Transit",
    lifecycle: "shipment",
    defaultEnabled: true,
    sources: ["in_transit", "carrier_picked_up"],
    description: "The carrier has the parcel and it is on its way.",
  },
  {
    key: "out_for_delivery",
    metric: "Out for Delivery",
    lifecycle: "shipment",
    defaultEnabled: true,
    sources: ["out_for_delivery"],
    description: "The parcel is out for delivery today.",
  },
  {
    key: "attempted_delivery",
    metric: "Attempted Delivery",
    lifecycle: "shipment",
    defaultEnabled: true,
    sources: ["attempted_delivery"],
    description: "The carrier tried to deliver and could not.",
  },
  {
    key: "ready_for_pickup",
    metric: "Ready for Pickup",
    lifecycle: "shipment",
    defaultEnabled: true,
    sources: ["ready_for_pickup", "fulfillment_orders/line_items_prepared_for_pickup (local pickup)"],
    description: "The parcel waits at a pickup point, or a local pickup order is ready to collect at the store.",
  },
  {
    key: "delivered",
    metric: "Delivered",
    lifecycle: "shipment",
    defaultEnabled: true,
    sources: ["delivered", "picked_up", "fulfillment of a local pickup (collected)"],
    description: "The parcel is delivered, or the customer collected a local pickup order.",
  },
  {
    key: "delivery_failed",
    metric: "Delivery Failed",
    lifecycle: "shipment",
    defaultEnabled: true,
    sources: ["failure"],
    description: "The carrier reports that delivery failed.",
  },
  {
    key: "shipment_delayed",
    metric: "Shipment Delayed",
    lifecycle: "shipment",
    defaultEnabled: true,
    sources: ["no carrier scan for SHIPMENT_DELAY_DAYS", "estimated delivery date passed"],
    description: "Waypost noticed no carrier scan for too long, or a missed delivery date.",
  },
  // Storefront activity from the web pixel: off until the merchant turns each on (Klaviyo's own
  // onsite tracking may already send these, and they come in far greater numbers than orders).
  {
    key: "active_on_site",
    metric: "Active on Site",
    lifecycle: "storefront",
    defaultEnabled: false,
    sources: ["pixel: page_viewed (once per visitor session)"],
    description: "A shopper is browsing the store: once per visit (30 minutes without a page view starts a new one).",
  },
  {
    key: "viewed_product",
    metric: "Viewed Product",
    lifecycle: "storefront",
    defaultEnabled: false,
    sources: ["pixel: product_viewed"],
    description: "A shopper opens a product page, for browse abandonment flows.",
  },
  {
    key: "viewed_collection",
    metric: "Viewed Collection",
    lifecycle: "storefront",
    defaultEnabled: false,
    sources: ["pixel: collection_viewed"],
    description: "A shopper opens a collection page.",
  },
  {
    key: "searched_site",
    metric: "Searched Site",
    lifecycle: "storefront",
    defaultEnabled: false,
    sources: ["pixel: search_submitted"],
    description: "A shopper searches the store.",
  },
  {
    key: "added_to_cart",
    metric: "Added to Cart",
    lifecycle: "storefront",
    defaultEnabled: false,
    sources: ["pixel: product_added_to_cart"],
    description: "A shopper adds a product to the cart, for cart abandonment flows.",
  },
  {
    key: "started_checkout",
    metric: "Started Checkout",
    lifecycle: "storefront",
    defaultEnabled: false,
    sources: ["pixel: checkout_started"],
    description: "A shopper starts checkout, for checkout abandonment flows.",
  },
  {
    key: "logged_in",
    metric: "Logged In",
    lifecycle: "storefront",
    defaultEnabled: false,
    sources: ["pixel: the customer becomes known (init.data.customer)"],
    description: "A shopper logs in to their customer account; their earlier guest activity joins their profile.",
  },
] as const satisfies readonly CatalogEvent[];

export type EventKey = (typeof EVENT_CATALOG)[number]["key"];

/** The Klaviyo metric name of an event key (an unknown key is shown as it is). */
export function metricFor(key: string): string {
  return EVENT_CATALOG.find((event) => event.key === key)?.metric ?? key;
}

/** The events the storefront pixel brings, as opposed to order and shipment webhooks. */
export const isStorefrontEvent = (key: string): boolean =>
  EVENT_CATALOG.some((event) => event.key === key && event.lifecycle === "storefront");
