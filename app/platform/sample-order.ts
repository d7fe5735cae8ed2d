/**
 * Webhook bodies for one made-up order's whole life, shaped like Shopify's (see
 * e2e/fixtures/shopify). The merchant's test event is built from it, the demo's "Send a test
 * order" sends it, and the pipeline tests, bench and chaos runs replay it.
 */
export interface OrderStoryOptions {
  orderId: number;
  fulfillmentId?: number;
  email?: string | null;
  phone?: string | null;
  financialStatus?: string;
  trackingNumber?: string;
  /** The Shopify customer placing it (legacy id); by default one of the order's own. */
  customerId?: number;
  /**
   * When the story ends (the parcel delivered): its steps then happen a minute apart up to this
   * instant, as for the demo's test order, which happens now. Without it, a fixed week in November 2026.
   */
  endsAt?: Date;
}

// The story's steps in order, each with its fixed time.
const STEP_TIMES = {
  placed: "2026-11-20T10:00:00-05:00",
  paid: "2026-11-20T10:05:00-05:00",
  fulfilled: "2026-11-21T09:00:00-05:00",
  inTransit: "2026-11-22T08:00:00-05:00",
  outForDelivery: "2026-11-24T07:30:00-05:00",
  delivered: "2026-11-24T14:02:00-05:00",
  estimatedDelivery: "2026-11-24T17:00:00-05:00",
} as const;

function storyTimes(endsAt: Date | undefined): Record<keyof typeof STEP_TIMES, string> {
  if (!endsAt) return STEP_TIMES;
  const minutesBefore = (minutes: number) => new Date(endsAt.getTime() - minutes * 60_000).toISOString();
  return {
    placed: minutesBefore(5),
    paid: minutesBefore(4),
    fulfilled: minutesBefore(3),
    inTransit: minutesBefore(2),
    outForDelivery: minutesBefore(1),
    delivered: minutesBefore(0),
    estimatedDelivery: minutesBefore(-24 * 60),
  };
}

export function orderStory({
  orderId,
  fulfillmentId = orderId * 10 + 1,
  email = "ann.lee@example.com",
  phone = "+14155550199",
  financialStatus = "paid",
  trackingNumber = `1Z${orderId}`,
  customerId = orderId + 5000,
  endsAt,
}: OrderStoryOptions) {
  const times = storyTimes(endsAt);
  const placedAt = times.placed;
  const lineItems = [
    {
      id: orderId * 100 + 1,
      title: "Stoneware mug",
      variant_title: "Blue",
      sku: "MUG-BLU",
      quantity: 2,
      price: "18.00",
      product_id: 9001,
      variant_id: 9101,
    },
    {
      id: orderId * 100 + 2,
      title: "Loose-leaf tea",
      variant_title: null,
      sku: "TEA-01",
      quantity: 1,
      price: "12.50",
      product_id: 9002,
      variant_id: 9102,
    },
  ];
  const order = (status: string, updatedAt: string) => ({
    id: orderId,
    name: `#${orderId}`,
    order_number: orderId,
    email,
    phone,
    contact_email: email,
    currency: "USD",
    total_price: "48.50",
    financial_status: status,
    fulfillment_status: null,
    cancelled_at: null,
    created_at: placedAt,
    updated_at: updatedAt,
    customer: {
      id: customerId,
      admin_graphql_api_id: `gid://shopify/Customer/${customerId}`,
      email,
      phone,
      first_name: "Ann",
      last_name: "Lee",
    },
    billing_address: { name: "Ann Lee", first_name: "Ann", last_name: "Lee", company: null, phone },
    shipping_address: {
      name: "Ann Lee",
      first_name: "Ann",
      last_name: "Lee",
      city: "Oakland",
      country_code: "US",
      phone,
    },
    line_items: lineItems,
  });
  const fulfillment = (shipmentStatus: string | null, updatedAt: string) => ({
    id: fulfillmentId,
    order_id: orderId,
    status: "success",
    shipment_status: shipmentStatus,
    tracking_company: "UPS",
    tracking_number: trackingNumber,
    tracking_numbers: [trackingNumber],
    tracking_url: `https://www.ups.com/track?tracknum=${trackingNumber}`,
    tracking_urls: [`https://www.ups.com/track?tracknum=${trackingNumber}`],
    created_at: times.fulfilled,
    updated_at: updatedAt,
    name: `#${orderId}.1`,
    email,
    destination: { first_name: "Ann", last_name: "Lee", phone, city: "Oakland", company: null },
    line_items: lineItems,
  });
  const scan = (id: number, status: string, happenedAt: string) => ({
    id,
    fulfillment_id: fulfillmentId,
    order_id: orderId,
    status,
    message: status.replace(/_/g, " "),
    happened_at: happenedAt,
    estimated_delivery_at: times.estimatedDelivery,
    city: "Oakland",
    province: "California",
    country: "US",
    created_at: happenedAt,
  });

  return [
    { topic: "orders/create", body: order(financialStatus === "paid" ? "pending" : financialStatus, placedAt) },
    ...(financialStatus === "paid" ? [{ topic: "orders/paid", body: order("paid", times.paid) }] : []),
    { topic: "fulfillments/create", body: fulfillment(null, times.fulfilled) },
    {
      topic: "fulfillment_events/create",
      body: scan(fulfillmentId * 10 + 1, "in_transit", times.inTransit),
    },
    {
      topic: "fulfillment_events/create",
      body: scan(fulfillmentId * 10 + 2, "out_for_delivery", times.outForDelivery),
    },
    {
      topic: "fulfillment_events/create",
      body: scan(fulfillmentId * 10 + 3, "delivered", times.delivered),
    },
  ];
}

/** The Klaviyo metrics one story should produce, once each. */
export const STORY_METRICS = [
  "Placed Order",
  "Ordered Product",
  "Ordered Product",
  "Order Awaiting Payment",
  "Order Shipped",
  "In Transit",
  "Out for Delivery",
  "Delivered",
];
