/**
 * How a fulfillment reaches its customer, which only its fulfillment orders say: Shopify's
 * fulfillment webhooks carry no delivery method, and a local pickup's fulfillment (the customer
 * collected it) looks like a shipment without carrier or tracking. Pure: the document and the
 * reading of its answer. Requested cost by Shopify's rules: 8 points.
 */
export const FULFILLMENT_DELIVERY_METHOD_QUERY = /* GraphQL */ `
  query FulfillmentDeliveryMethod($id: ID!) {
    fulfillment(id: $id) {
      id
      fulfillmentOrders(first: 5) {
        nodes {
          deliveryMethod {
            methodType
          }
        }
      }
    }
  }
`;

export interface FulfillmentDeliveryAnswer {
  fulfillment?: {
    fulfillmentOrders?: { nodes?: Array<{ deliveryMethod?: { methodType?: string | null } | null }> };
  } | null;
}

export const fulfillmentGid = (fulfillmentId: string) =>
  fulfillmentId.startsWith("gid://") ? fulfillmentId : `gid://shopify/Fulfillment/${fulfillmentId}`;

/** Whether the customer collects the fulfillment (DeliveryMethodType PICK_UP); null when Shopify has no such fulfillment. */
export function isLocalPickup(answer: FulfillmentDeliveryAnswer): boolean | null {
  if (!answer.fulfillment) return null;
  const methods = (answer.fulfillment.fulfillmentOrders?.nodes ?? []).map((node) => node.deliveryMethod?.methodType);
  return methods.length > 0 && methods.every((method) => method === "PICK_UP");
}
