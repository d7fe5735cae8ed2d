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
