import type { NormalizedOrder } from "../../app/tracking/normalize";

/** A small, fully filled-in order for unit tests of detection and payloads. */
export function sampleOrder(overrides: Partial<NormalizedOrder> = {}): NormalizedOrder {
  return {
    id: "1001",
    name: "#1001",
    number: "1001",
    contact: { email: "ann@example.com", phone: null, firstName: "Ann", lastName: "Lee", company: null, country: null },
    currency: "USD",
    totalPrice: 42.5,
    financialStatus: "paid",
    fulfillmentStatus: null,
    cancelledAt: null,
    createdAt: "2026-11-20T10:00:00.000Z",
    updatedAt: "2026-11-20T10:00:00.000Z",
    lineItems: [
      {
        id: "11",
        title: "Mug",
        variantTitle: null,
        sku: "MUG",
        quantity: 2,
        price: 10,
        productId: "5",
        variantId: "6",
      },
      {
        id: "12",
        title: "Tea",
        variantTitle: "Green",
        sku: "TEA",
        quantity: 1,
        price: 22.5,
        productId: "7",
        variantId: "8",
      },
    ],
    ...overrides,
  };
}
