/**
 * Order history as the Admin GraphQL API returns it, and the same orders in the shape of the
 * webhooks Waypost already understands, so history goes through the very normalization and
 * detection live traffic does (and ends with the same idempotency keys). Pure.
 */

// Small pages: a query's requested cost is bounded by Shopify (orders × fulfillments × events),
// and a page is also the unit of a backfill's checkpoint.
export const HISTORY_PAGE_SIZE = 25;

export const ORDER_HISTORY_QUERY = /* GraphQL */ `
  query OrderHistory($first: Int!, $after: String, $query: String!) {
    orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        name
        email
        phone
        createdAt
        updatedAt
        cancelledAt
        displayFinancialStatus
        currencyCode
        totalPriceSet {
          shopMoney {
            amount
          }
        }
        customer {
          firstName
          lastName
          email
          phone
        }
        billingAddress {
          firstName
          lastName
          company
          phone
        }
        shippingAddress {
          firstName
          lastName
          company
          phone
        }
        lineItems(first: 50) {
          nodes {
            id
            title
            variantTitle
            sku
            quantity
            originalUnitPriceSet {
              shopMoney {
                amount
              }
            }
            product {
              id
            }
            variant {
              id
            }
          }
        }
        fulfillments(first: 5) {
          id
          status
          displayStatus
          createdAt
          updatedAt
          estimatedDeliveryAt
          trackingInfo(first: 5) {
            company
            number
            url
          }
          fulfillmentLineItems(first: 50) {
            nodes {
              quantity
              lineItem {
                id
              }
            }
          }
          events(first: 20, sortKey: HAPPENED_AT) {
            nodes {
              id
              status
              happenedAt
              estimatedDeliveryAt
              message
              city
              province
              country
            }
          }
        }
      }
    }
  }
`;

export const ORDER_COUNT_QUERY = /* GraphQL */ `
  query OrderHistoryCount($query: String!) {
    ordersCount(query: $query, limit: null) {
      count
      precision
    }
  }
`;

/** The search that selects a backfill's window (orders updated since `since`). */
export const historySearch = (since: Date) => `updated_at:>='${since.toISOString()}'`;

type Money = { shopMoney?: { amount?: string | null } | null } | null;
type Person = {
  firstName?: string | null;
  lastName?: string | null;
  email?: string | null;
  phone?: string | null;
  company?: string | null;
} | null;

export interface HistoryFulfillmentEvent {
  id: string;
  status: string;
  happenedAt: string;
  estimatedDeliveryAt?: string | null;
  message?: string | null;
  city?: string | null;
  province?: string | null;
  country?: string | null;
}

export interface HistoryFulfillment {
  id: string;
  status: string;
  displayStatus?: string | null;
  createdAt: string;
  updatedAt?: string | null;
  estimatedDeliveryAt?: string | null;
  trackingInfo?: Array<{ company?: string | null; number?: string | null; url?: string | null }>;
  fulfillmentLineItems?: { nodes: Array<{ quantity: number; lineItem: { id: string } }> };
  events?: { nodes: HistoryFulfillmentEvent[] };
}

export interface HistoryOrder {
  id: string;
  name: string;
  email?: string | null;
  phone?: string | null;
  createdAt: string;
  updatedAt: string;
  cancelledAt?: string | null;
  displayFinancialStatus?: string | null;
  currencyCode?: string | null;
  totalPriceSet?: Money;
  customer?: Person;
  billingAddress?: Person;
  shippingAddress?: Person;
  lineItems?: {
    nodes: Array<{
      id: string;
      title: string;
      variantTitle?: string | null;
      sku?: string | null;
      quantity: number;
      originalUnitPriceSet?: Money;
      product?: { id: string } | null;
      variant?: { id: string } | null;
    }>;
  };
  fulfillments?: HistoryFulfillment[];
}

export interface HistoryPage {
  orders: HistoryOrder[];
  hasNextPage: boolean;
  endCursor: string | null;
}

/** "gid://shopify/Order/450789469" → "450789469", the id webhooks carry. */
export const legacyId = (gid: string | null | undefined) => (gid ? gid.slice(gid.lastIndexOf("/") + 1) : null);

const lower = (value: string | null | undefined) => (value ? value.toLowerCase() : null);

const address = (person: Person) =>
  person
    ? {
        first_name: person.firstName ?? null,
        last_name: person.lastName ?? null,
        company: person.company ?? null,
        phone: person.phone ?? null,
      }
    : null;

/** One historical order as the webhooks of its life would have delivered it. */
export function webhookPayloadsOf(order: HistoryOrder) {
  const orderId = legacyId(order.id);
  const lineItems = (order.lineItems?.nodes ?? []).map((item) => ({
    id: legacyId(item.id),
    title: item.title,
    variant_title: item.variantTitle ?? null,
    sku: item.sku ?? null,
    quantity: item.quantity,
    price: item.originalUnitPriceSet?.shopMoney?.amount ?? "0",
    product_id: legacyId(item.product?.id),
    variant_id: legacyId(item.variant?.id),
  }));
  const orderPayload = {
    id: orderId,
    name: order.name,
    order_number: order.name.replace(/^#/, ""),
    email: order.email ?? null,
    phone: order.phone ?? null,
    created_at: order.createdAt,
    updated_at: order.updatedAt,
    cancelled_at: order.cancelledAt ?? null,
    financial_status: lower(order.displayFinancialStatus),
    currency: order.currencyCode ?? null,
    total_price: order.totalPriceSet?.shopMoney?.amount ?? "0",
    customer: order.customer
      ? {
          first_name: order.customer.firstName ?? null,
          last_name: order.customer.lastName ?? null,
          email: order.customer.email ?? null,
          phone: order.customer.phone ?? null,
        }
      : null,
    billing_address: address(order.billingAddress ?? null),
    shipping_address: address(order.shippingAddress ?? null),
    line_items: lineItems,
  };

  const fulfillments = (order.fulfillments ?? []).map((fulfillment) => {
    const fulfillmentId = legacyId(fulfillment.id);
    const shipped = new Map(
      (fulfillment.fulfillmentLineItems?.nodes ?? []).map((node) => [legacyId(node.lineItem.id), node.quantity]),
    );
    const tracking = fulfillment.trackingInfo ?? [];
    return {
      // As fulfillments/create announced it: made, no carrier news yet.
      created: {
        id: fulfillmentId,
        order_id: orderId,
        status: lower(fulfillment.status),
        shipment_status: null,
        tracking_company: tracking[0]?.company ?? null,
        tracking_numbers: tracking.map((info) => info.number).filter(Boolean),
        tracking_urls: tracking.map((info) => info.url).filter(Boolean),
        estimated_delivery_at: fulfillment.estimatedDeliveryAt ?? null,
        created_at: fulfillment.createdAt,
        updated_at: fulfillment.createdAt,
        line_items: shipped.size
          ? lineItems
              .filter((item) => shipped.has(item.id))
              .map((item) => ({ ...item, quantity: shipped.get(item.id) }))
          : lineItems,
      },
      // Each carrier scan, oldest first, as fulfillment_events/create.
      scans: [...(fulfillment.events?.nodes ?? [])]
        .sort((a, b) => a.happenedAt.localeCompare(b.happenedAt))
        .map((event) => ({
          id: legacyId(event.id),
          fulfillment_id: fulfillmentId,
          order_id: orderId,
          status: lower(event.status),
          happened_at: event.happenedAt,
          estimated_delivery_at: event.estimatedDeliveryAt ?? null,
          message: event.message ?? null,
          city: event.city ?? null,
          province: event.province ?? null,
          country: event.country ?? null,
        })),
      // Where it stands now, as the latest fulfillments/update would say.
      latest: {
        displayStatus: lower(fulfillment.displayStatus),
        updatedAt: fulfillment.updatedAt ?? fulfillment.createdAt,
      },
    };
  });

  return { order: orderPayload, fulfillments };
}
