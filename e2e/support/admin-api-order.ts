import { shopifyFixtureText } from "./shopify-payloads";

/** Who bought, what, and how it ships: the parts of a one-item, one-parcel order that tests vary. */
export interface ShippedOrderFacts {
  orderId: number;
  fulfillmentId: number;
  name: string;
  placedAt: number;
  shippedAt: number;
  buyer: { customerId: number; email: string; firstName: string; lastName: string; country: string };
  currency: string;
  /** The order's total, with shipping and taxes: more than its line items come to. */
  total: string;
  item: { lineItemId: number; title: string; sku: string; quantity: number; unitPrice: string; variantId: number };
  tracking: { company: string; number: string; url: string };
}

/**
 * A paid order with one line item and one shipped parcel, as the Admin API holds it (the 2026-07
 * schema's field names, as the stand-in serves them). Its fulfillment's `events` start empty: tests
 * push scans with `carrierScan`.
 */
export function shippedOrderAtShopify(facts: ShippedOrderFacts) {
  const { buyer, item, tracking } = facts;
  const money = (amount: string) => ({ shopMoney: { amount, currencyCode: facts.currency } });
  const shippedAt = new Date(facts.shippedAt).toISOString();
  return {
    id: `gid://shopify/Order/${facts.orderId}`,
    name: facts.name,
    email: buyer.email,
    phone: null,
    createdAt: new Date(facts.placedAt).toISOString(),
    updatedAt: shippedAt,
    cancelledAt: null,
    displayFinancialStatus: "PAID",
    currencyCode: facts.currency,
    totalPriceSet: money(facts.total),
    customer: {
      id: `gid://shopify/Customer/${buyer.customerId}`,
      firstName: buyer.firstName,
      lastName: buyer.lastName,
    },
    billingAddress: null,
    shippingAddress: {
      firstName: buyer.firstName,
      lastName: buyer.lastName,
      company: null,
      phone: null,
      countryCodeV2: buyer.country,
    },
    lineItems: [
      {
        id: `gid://shopify/LineItem/${item.lineItemId}`,
        title: item.title,
        variantTitle: null,
        sku: item.sku,
        quantity: item.quantity,
        originalUnitPriceSet: money(item.unitPrice),
        product: { id: `gid://shopify/Product/${item.variantId}0` },
        variant: { id: `gid://shopify/ProductVariant/${item.variantId}` },
      },
    ],
    fulfillments: [
      {
        id: `gid://shopify/Fulfillment/${facts.fulfillmentId}`,
        status: "SUCCESS",
        displayStatus: "FULFILLED",
        createdAt: shippedAt,
        updatedAt: shippedAt,
        estimatedDeliveryAt: null,
        trackingInfo: [tracking],
        fulfillmentLineItems: [
          {
            id: `gid://shopify/FulfillmentLineItem/${item.lineItemId}`,
            quantity: 1,
            lineItem: { id: `gid://shopify/LineItem/${item.lineItemId}` },
          },
        ],
        events: [] as object[],
      },
    ],
  };
}

export type OrderAtShopify = ReturnType<typeof shippedOrderAtShopify>;

/** The carrier scans the parcel: Shopify records the event, and the fulfillment and order move on. */
export function carrierScan(order: OrderAtShopify, status: string, at: number, country: string) {
  const fulfillment = order.fulfillments[0];
  fulfillment.events.push({
    id: `gid://shopify/FulfillmentEvent/${at}`,
    status: status.toUpperCase(),
    happenedAt: new Date(at).toISOString(),
    estimatedDeliveryAt: null,
    message: null,
    city: null,
    province: null,
    country,
  });
  fulfillment.displayStatus = status.toUpperCase();
  fulfillment.updatedAt = new Date(at).toISOString();
  order.updatedAt = new Date(at).toISOString();
}

/** Shopify's documented fulfillment_events/create sample, for this order's parcel. */
export function scanWebhookBody(order: OrderAtShopify, status: string, at: number) {
  const happenedAt = new Date(at).toISOString();
  return {
    ...(JSON.parse(shopifyFixtureText("fulfillment_events_create")) as Record<string, unknown>),
    id: Math.floor(at / 1000),
    status,
    happened_at: happenedAt,
    created_at: happenedAt,
    updated_at: happenedAt,
    order_id: Number(order.id.split("/").pop()),
    fulfillment_id: Number(order.fulfillments[0].id.split("/").pop()),
  };
}
