/**
 * Order history as the Admin GraphQL API returns it, and the same orders in the shape of the
 * webhooks Waypost already understands, so history goes through the very normalization and
 * detection live traffic does (and ends with the same idempotency keys). Pure.
 */

// Every document below stays within Shopify's single-query limit of 1,000 requested points
// (checked in app/demo/contracts/admin-documents.test.ts). A page reads a few of each order's line items,
// fulfillments and events; an order with more is completed by the follow-up documents, each
// paginated by cursor (app/platform/order-reader.server.ts).

/**
 * A page of the import, sized for the common order (a few line items, one parcel):
 * 2 + 18 orders × (9 objects + (2 + 3 line items × 5) + 1 fulfillment × (1 + 5 + 12 + 7)) = 920 points.
 */
export const PAGE_SIZES = { first: 18, lineItems: 3, fulfillments: 1, nested: 5 } as const;
/** One order read by itself: 1 + 8 + (2 + 50 × 5) + 10 × (1 + 5 + 22 + 12) = 661 points. */
export const ORDER_SIZES = { lineItems: 50, fulfillments: 10, nested: 10 } as const;
/** Follow-up pages of a connection; 250 is Shopify's largest page. */
export const FOLLOW_UP_PAGE = 100;
export const MAX_FULFILLMENTS = 250;
/** Kept for the backfill's progress: orders per page. */
export const HISTORY_PAGE_SIZE = PAGE_SIZES.first;

const LINE_ITEM_FIELDS = /* GraphQL */ `
  fragment HistoryLineItemPage on LineItemConnection {
    pageInfo {
      hasNextPage
      endCursor
    }
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
`;

const FULFILLMENT_LINE_ITEM_FIELDS = /* GraphQL */ `
  fragment HistoryFulfillmentLineItemPage on FulfillmentLineItemConnection {
    pageInfo {
      hasNextPage
      endCursor
    }
    nodes {
      quantity
      lineItem {
        id
      }
    }
  }
`;

const FULFILLMENT_EVENT_FIELDS = /* GraphQL */ `
  fragment HistoryFulfillmentEventPage on FulfillmentEventConnection {
    pageInfo {
      hasNextPage
      endCursor
    }
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
`;

const FULFILLMENT_FIELDS = /* GraphQL */ `
  fragment HistoryFulfillment on Fulfillment {
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
    fulfillmentLineItems(first: $nested) {
      ...HistoryFulfillmentLineItemPage
    }
    events(first: $nested, sortKey: HAPPENED_AT) {
      ...HistoryFulfillmentEventPage
    }
  }
  ${FULFILLMENT_LINE_ITEM_FIELDS}
  ${FULFILLMENT_EVENT_FIELDS}
`;

const ORDER_FIELDS = /* GraphQL */ `
  fragment HistoryOrderFields on Order {
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
      defaultEmailAddress {
        emailAddress
      }
      defaultPhoneNumber {
        phoneNumber
      }
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
    lineItems(first: $lineItems) {
      ...HistoryLineItemPage
    }
    fulfillmentsCount {
      count
      precision
    }
    fulfillments(first: $fulfillments) {
      ...HistoryFulfillment
    }
  }
  ${LINE_ITEM_FIELDS}
  ${FULFILLMENT_FIELDS}
`;

/** A page of orders updated in the window, oldest change first (the checkpoint is its cursor). */
export const ORDER_HISTORY_QUERY = /* GraphQL */ `
  query OrderHistoryPage(
    $first: Int!
    $after: String
    $query: String!
    $lineItems: Int!
    $fulfillments: Int!
    $nested: Int!
  ) {
    orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        ...HistoryOrderFields
      }
    }
  }
  ${ORDER_FIELDS}
`;

/**
 * One order with its fulfillments, tracking and carrier events (the start of reading it fully):
 * what a repair reads for an order Waypost has not seen.
 */
export const ORDER_WITH_FULFILLMENTS_QUERY = /* GraphQL */ `
  query OrderWithFulfillments($id: ID!, $lineItems: Int!, $fulfillments: Int!, $nested: Int!) {
    order(id: $id) {
      ...HistoryOrderFields
    }
  }
  ${ORDER_FIELDS}
`;

/** Every fulfillment's id, when an order has more than a read returned. 1 + 250 = 251 points. */
export const ORDER_FULFILLMENT_IDS_QUERY = /* GraphQL */ `
  query OrderFulfillmentIds($id: ID!, $first: Int!) {
    order(id: $id) {
      fulfillments(first: $first) {
        id
      }
    }
  }
`;

/** One fulfillment, as a read of its order would have returned it. 1 + 5 + 22 + 12 = 40 points. */
export const FULFILLMENT_QUERY = /* GraphQL */ `
  query FulfillmentWithEvents($id: ID!, $nested: Int!) {
    fulfillment(id: $id) {
      ...HistoryFulfillment
    }
  }
  ${FULFILLMENT_FIELDS}
`;

/**
 * The connections a first read may cut short, each by the field that holds it. Their next
 * pages all come from CONNECTION_REST_QUERY, with the connection's flag on.
 */
export const FOLLOW_UP_FIELDS = {
  orderLineItems: "lineItems",
  fulfillmentLineItems: "fulfillmentLineItems",
  fulfillmentEvents: "events",
} as const;
export type FollowUp = keyof typeof FOLLOW_UP_FIELDS;

/**
 * The next page of one connection of an order or a fulfillment, chosen by its flag. At most
 * 1 + 2 + 100 × 5 = 503 points (an order's line items).
 */
export const CONNECTION_REST_QUERY = /* GraphQL */ `
  query ConnectionRest(
    $id: ID!
    $first: Int!
    $after: String
    $orderLineItems: Boolean = false
    $fulfillmentLineItems: Boolean = false
    $fulfillmentEvents: Boolean = false
  ) {
    node(id: $id) {
      ... on Order {
        lineItems(first: $first, after: $after) @include(if: $orderLineItems) {
          ...HistoryLineItemPage
        }
      }
      ... on Fulfillment {
        fulfillmentLineItems(first: $first, after: $after) @include(if: $fulfillmentLineItems) {
          ...HistoryFulfillmentLineItemPage
        }
        events(first: $first, after: $after, sortKey: HAPPENED_AT) @include(if: $fulfillmentEvents) {
          ...HistoryFulfillmentEventPage
        }
      }
    }
  }
  ${LINE_ITEM_FIELDS}
  ${FULFILLMENT_LINE_ITEM_FIELDS}
  ${FULFILLMENT_EVENT_FIELDS}
`;

export const ORDER_COUNT_QUERY = /* GraphQL */ `
  query OrderHistoryCount($query: String!) {
    ordersCount(query: $query, limit: null) {
      count
      precision
    }
  }
`;

/**
 * The largest variables Waypost sends with each document, by operation name: what its requested
 * cost is checked with.
 */
export const HISTORY_DOCUMENT_VARIABLES: Record<string, Record<string, unknown>> = {
  OrderHistoryPage: { ...PAGE_SIZES, after: "cursor", query: "updated_at:>='2026-01-01T00:00:00.000Z'" },
  OrderWithFulfillments: { id: "gid://shopify/Order/1", ...ORDER_SIZES },
  OrderFulfillmentIds: { id: "gid://shopify/Order/1", first: MAX_FULFILLMENTS },
  FulfillmentWithEvents: { id: "gid://shopify/Fulfillment/1", nested: ORDER_SIZES.nested },
  ConnectionRest: {
    id: "gid://shopify/Order/1",
    first: FOLLOW_UP_PAGE,
    after: "cursor",
    ...Object.fromEntries(Object.keys(FOLLOW_UP_FIELDS).map((flag) => [flag, true])),
  },
  OrderHistoryCount: { query: "updated_at:>='2026-01-01T00:00:00.000Z'" },
};

/** The search that selects a backfill's window (orders updated since `since`). */
export const historySearch = (since: Date) => `updated_at:>='${since.toISOString()}'`;

type Money = { shopMoney?: { amount?: string | null } | null } | null;
type Person = {
  firstName?: string | null;
  lastName?: string | null;
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

/** A connection as read: its nodes, and whether Shopify holds more after them. */
export interface Page<T> {
  pageInfo?: { hasNextPage: boolean; endCursor: string | null };
  nodes: T[];
}

export interface HistoryFulfillment {
  id: string;
  status: string;
  displayStatus?: string | null;
  createdAt: string;
  updatedAt?: string | null;
  estimatedDeliveryAt?: string | null;
  trackingInfo?: Array<{ company?: string | null; number?: string | null; url?: string | null }>;
  fulfillmentLineItems?: Page<HistoryFulfillmentLineItem>;
  events?: Page<HistoryFulfillmentEvent>;
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
  customer?: HistoryCustomer | null;
  billingAddress?: Person;
  shippingAddress?: Person;
  lineItems?: Page<HistoryLineItem>;
  /** How many fulfillments there are, when a read asked (a read returns at most as many as it asks for). */
  fulfillmentsCount?: { count: number; precision: string } | null;
  fulfillments?: HistoryFulfillment[];
}

/** 2026-07 reads a customer's email and phone through their default address and number. */
export interface HistoryCustomer {
  firstName?: string | null;
  lastName?: string | null;
  defaultEmailAddress?: { emailAddress: string } | null;
  defaultPhoneNumber?: { phoneNumber: string } | null;
}

export interface HistoryLineItem {
  id: string;
  title: string;
  variantTitle?: string | null;
  sku?: string | null;
  quantity: number;
  originalUnitPriceSet?: Money;
  product?: { id: string } | null;
  variant?: { id: string } | null;
}

export interface HistoryFulfillmentLineItem {
  quantity: number;
  lineItem: { id: string };
}

export interface HistoryPage {
  orders: HistoryOrder[];
  hasNextPage: boolean;
  endCursor: string | null;
}

/** "gid://shopify/Order/450789469" → "450789469", the id webhooks carry. */
export const legacyId = (gid: string | null | undefined) => (gid ? gid.slice(gid.lastIndexOf("/") + 1) : null);

/** "450789469" (as webhooks carry it) → "gid://shopify/Order/450789469"; a GID stays as it is. */
export const orderGid = (orderId: string) =>
  orderId.startsWith("gid://") ? orderId : `gid://shopify/Order/${orderId}`;

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
          email: order.customer.defaultEmailAddress?.emailAddress ?? null,
          phone: order.customer.defaultPhoneNumber?.phoneNumber ?? null,
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
