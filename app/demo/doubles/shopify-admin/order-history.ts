import type { HistoryOrder } from "../../../platform/order-history";

const HOUR = 60 * 60_000;
const DAY = 24 * HOUR;

/** A small deterministic random source, so a fixture is the same on every run. */
function seeded(seed: number) {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

const PRODUCTS = [
  { id: 7001, title: "Trail Runner", price: "89.00" },
  { id: 7002, title: "Wool Socks", price: "14.50" },
  { id: 7003, title: "Rain Shell", price: "129.00" },
  { id: 7004, title: "Water Bottle", price: "22.00" },
];
/**
 * A product variant as the Admin API holds it, with its image as 2026-07 serves images: the
 * variant's own first medium, or else (no `variantImage`) only its product's featured medium.
 */
export function productVariantModel({
  variantId,
  productId,
  productImage,
  variantImage,
}: {
  variantId: number | string;
  productId: number | string;
  productImage: string | null;
  variantImage?: string;
}) {
  const medium = (url: string, n: number | string) => ({
    id: `gid://shopify/MediaImage/${n}`,
    mediaContentType: "IMAGE",
    status: "READY",
    preview: { image: { url, altText: null }, status: "READY" },
  });
  return {
    id: `gid://shopify/ProductVariant/${variantId}`,
    media: variantImage ? [medium(variantImage, variantId)] : [],
    product: {
      id: `gid://shopify/Product/${productId}`,
      featuredMedia: productImage ? medium(productImage, productId) : null,
    },
  };
}

const imageOf = (title: string) =>
  `https://cdn.shopify.com/s/files/1/0000/0001/files/${title.toLowerCase().replace(/\W+/g, "-")}.jpg`;

/** The customer of the demo's "Send a test order", with a store-credit balance (cashback) to show on their profile. */
export const DEMO_CUSTOMER = {
  legacyId: 880_001,
  email: "demo.customer@example.com",
  storeCredit: { amount: "25.00", currencyCode: "USD" },
};

/** The demo store's variants: the history's products and the test order's (app/platform/sample-order.ts). */
export function demoProductVariants() {
  return [
    ...PRODUCTS.map((product) =>
      productVariantModel({ variantId: `${product.id}1`, productId: product.id, productImage: imageOf(product.title) }),
    ),
    productVariantModel({
      variantId: 9101,
      productId: 9001,
      productImage: imageOf("Stoneware mug"),
      variantImage: imageOf("Stoneware mug blue"),
    }),
    productVariantModel({ variantId: 9102, productId: 9002, productImage: imageOf("Loose-leaf tea") }),
  ];
}

const JOURNEY = [
  { status: "IN_TRANSIT", afterHours: 20 },
  { status: "OUT_FOR_DELIVERY", afterHours: 52 },
  { status: "DELIVERED", afterHours: 58 },
];
// A long haul: a scan at every hub before the last mile.
const LONG_JOURNEY = [
  ...Array.from({ length: 9 }, (_, hub) => ({ status: "IN_TRANSIT", afterHours: 10 + hub * 4 })),
  { status: "OUT_FOR_DELIVERY", afterHours: 52 },
  { status: "DELIVERED", afterHours: 58 },
];
const LARGE_ORDER = { lineItems: 120, fulfillments: 4 };

/**
 * A store's order history as Shopify's Admin GraphQL API returns it: `count` orders spread
 * over `days` days before `now`, most fulfilled and on their way or delivered by now, some
 * cancelled, a few without any way to reach the customer.
 */
export function generateOrderHistory({
  count,
  days,
  now = Date.now(),
  seed = 42,
  firstOrderId = 6_100_000_000,
  largeOrderEvery,
}: {
  count: number;
  days: number;
  now?: number;
  seed?: number;
  firstOrderId?: number;
  /** Every so many orders, one of 120 line items shipped in 4 fulfillments with 11 scans each. */
  largeOrderEvery?: number;
}): HistoryOrder[] {
  const random = seeded(seed);
  return Array.from({ length: count }, (_, index) => {
    const orderId = firstOrderId + index;
    const createdAt = now - days * DAY + ((index + 0.5) / count) * days * DAY;
    const unreachable = index % 50 === 49;
    const cancelled = !unreachable && index % 20 === 7;
    const large = largeOrderEvery !== undefined && index % largeOrderEvery === 3;
    const products = large
      ? Array.from({ length: LARGE_ORDER.lineItems }, (_, line) => PRODUCTS[line % PRODUCTS.length])
      : PRODUCTS.slice(0, 1 + (index % 3));
    const items = products.map((product, line) => ({
      id: `gid://shopify/LineItem/${orderId * 1000 + line}`,
      title: product.title,
      variantTitle: null,
      sku: `SKU-${product.id}`,
      quantity: 1 + Math.floor(random() * 2),
      originalUnitPriceSet: { shopMoney: { amount: product.price } },
      product: { id: `gid://shopify/Product/${product.id}` },
      variant: { id: `gid://shopify/ProductVariant/${product.id}1` },
    }));
    const fulfilledAt = createdAt + (4 + random() * 20) * HOUR;
    const parcels = large ? LARGE_ORDER.fulfillments : 1;
    const journey = large ? LONG_JOURNEY : JOURNEY;
    const allScans: number[] = [];
    const fulfillments =
      cancelled || fulfilledAt > now
        ? []
        : Array.from({ length: parcels }, (_, parcel) => {
            const id = orderId * 10 + parcel;
            const shipped = items.filter((_, line) => line % parcels === parcel);
            const scans = journey
              .map((step, scan) => ({
                ...step,
                happenedAt: fulfilledAt + step.afterHours * HOUR,
                id: `gid://shopify/FulfillmentEvent/${id * 100 + scan}`,
              }))
              .filter((scan) => scan.happenedAt <= now);
            allScans.push(...scans.map((scan) => scan.happenedAt));
            const tracking = `1Z999AA1${String(id).slice(-9)}`;
            return {
              id: `gid://shopify/Fulfillment/${id + 30_000_000_000}`,
              status: "SUCCESS",
              displayStatus: scans.at(-1)?.status ?? "FULFILLED",
              createdAt: new Date(fulfilledAt).toISOString(),
              updatedAt: new Date(scans.at(-1)?.happenedAt ?? fulfilledAt).toISOString(),
              estimatedDeliveryAt: new Date(fulfilledAt + 60 * HOUR).toISOString(),
              trackingInfo: [
                { company: "UPS", number: tracking, url: `https://www.ups.com/track?tracknum=${tracking}` },
              ],
              fulfillmentLineItems: {
                nodes: shipped.map((item) => ({
                  id: `gid://shopify/FulfillmentLineItem/${item.id.slice(item.id.lastIndexOf("/") + 1)}`,
                  quantity: item.quantity,
                  lineItem: { id: item.id },
                })),
              },
              events: {
                nodes: scans.map((scan) => ({
                  id: scan.id,
                  status: scan.status,
                  happenedAt: new Date(scan.happenedAt).toISOString(),
                  estimatedDeliveryAt: null,
                  message: null,
                  city: "Columbus",
                  province: "Ohio",
                  country: "United States",
                })),
              },
            };
          });
    const lastChange = Math.max(
      createdAt,
      ...allScans,
      cancelled ? createdAt + 2 * HOUR : 0,
      fulfillments.length ? fulfilledAt : 0,
    );
    const customer = unreachable
      ? null
      : {
          firstName: `Ada${index % 97}`,
          lastName: "Lovelace",
          defaultEmailAddress: { emailAddress: `customer${index % 400}@example.com` },
          defaultPhoneNumber: null,
        };
    return {
      id: `gid://shopify/Order/${orderId}`,
      name: `#${1001 + index}`,
      email: customer?.defaultEmailAddress.emailAddress ?? null,
      phone: null,
      createdAt: new Date(createdAt).toISOString(),
      updatedAt: new Date(Math.min(now, lastChange)).toISOString(),
      cancelledAt: cancelled ? new Date(createdAt + 2 * HOUR).toISOString() : null,
      displayFinancialStatus: cancelled ? "REFUNDED" : "PAID",
      currencyCode: "USD",
      totalPriceSet: {
        shopMoney: {
          amount: items
            .reduce((sum, item) => sum + Number(item.originalUnitPriceSet.shopMoney.amount) * item.quantity, 0)
            .toFixed(2),
        },
      },
      customer,
      billingAddress: null,
      shippingAddress: customer
        ? { firstName: customer.firstName, lastName: customer.lastName, company: null, phone: null }
        : null,
      lineItems: { nodes: items },
      fulfillments,
    } satisfies HistoryOrder;
  });
}

/**
 * The demo store's customers, as the Admin API shows them (found by GID, as through `nodes(ids:)`, and
 * by `customerByIdentifier`), all subscribed to email marketing: the ones its order history names
 * (consent sync), and the test order's customer with a store-credit balance.
 */
export function demoCustomers(count = 400): object[] {
  const testOrderCustomer = {
    id: `gid://shopify/Customer/${DEMO_CUSTOMER.legacyId}`,
    firstName: "Demo",
    lastName: "Customer",
    defaultEmailAddress: { emailAddress: DEMO_CUSTOMER.email, marketingState: "SUBSCRIBED", marketingUpdatedAt: null },
    defaultPhoneNumber: null,
    storeCreditAccounts: [{ id: "gid://shopify/StoreCreditAccount/880001", balance: DEMO_CUSTOMER.storeCredit }],
  };
  const historyCustomers = Array.from({ length: count }, (_, index) => ({
    id: `gid://shopify/Customer/${9000 + index}`,
    firstName: `Ada${index % 97}`,
    lastName: "Lovelace",
    defaultEmailAddress: {
      emailAddress: `customer${index}@example.com`,
      marketingState: "SUBSCRIBED",
      marketingUpdatedAt: null,
    },
    defaultPhoneNumber: null,
  }));
  return [testOrderCustomer, ...historyCustomers];
}
