import type { HistoryOrder } from "./order-history";

/**
 * What Waypost reads from the Admin API to complete an order it has not seen (installed mid-life,
 * a missed webhook, a fulfillment before its order): the order with its fulfillments, tracking
 * and carrier events, in the history import's shape so it goes through the same conversion to
 * webhook payloads, normalization and detection. Pure: documents and the reading of answers.
 * Requested cost by Shopify's rules: 600 points (the limit is 1,000).
 */
export const ORDER_FOR_REPAIR_QUERY = /* GraphQL */ `
  query OrderForRepair($id: ID!) {
    order(id: $id) {
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
        trackingInfo(first: 3) {
          company
          number
          url
        }
        fulfillmentLineItems(first: 20) {
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
`;

/** A fulfillment order's webhooks carry only its GID: the order it belongs to is asked of Shopify. */
export const FULFILLMENT_ORDER_QUERY = /* GraphQL */ `
  query FulfillmentOrderOrder($id: ID!) {
    fulfillmentOrder(id: $id) {
      id
      status
      order {
        id
      }
    }
  }
`;

export const orderGid = (orderId: string) =>
  orderId.startsWith("gid://") ? orderId : `gid://shopify/Order/${orderId}`;

type RepairCustomer = {
  firstName?: string | null;
  lastName?: string | null;
  defaultEmailAddress?: { emailAddress?: string | null } | null;
  defaultPhoneNumber?: { phoneNumber?: string | null } | null;
} | null;

export type RepairOrder = Omit<HistoryOrder, "customer"> & { customer?: RepairCustomer };

/** The answer to ORDER_FOR_REPAIR_QUERY in the history import's shape (Shopify's nullable contact fields narrowed). */
export function historyOrderOf(order: RepairOrder): HistoryOrder {
  const { customer, ...rest } = order;
  return {
    ...rest,
    customer: customer
      ? {
          firstName: customer.firstName ?? null,
          lastName: customer.lastName ?? null,
          defaultEmailAddress: customer.defaultEmailAddress?.emailAddress
            ? { emailAddress: customer.defaultEmailAddress.emailAddress }
            : null,
          defaultPhoneNumber: customer.defaultPhoneNumber?.phoneNumber
            ? { phoneNumber: customer.defaultPhoneNumber.phoneNumber }
            : null,
        }
      : null,
  };
}
