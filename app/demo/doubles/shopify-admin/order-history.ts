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
const JOURNEY = [
  { status: "IN_TRANSIT", afterHours: 20 },
  { status: "OUT_FOR_DELIVERY", afterHours: 52 },
  { status: "DELIVERED", afterHours: 58 },
];

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
}: {
  count: number;
  days: number;
  now?: number;
  seed?: number;
  firstOrderId?: number;
}): HistoryOrder[] {
  const random = seeded(seed);
  return Array.from({ length: count }, (_, index) => {
    const orderId = firstOrderId + index;
    const createdAt = now - days * DAY + ((index + 0.5) / count) * days * DAY;
    const unreachable = index % 50 === 49;
    const cancelled = !unreachable && index % 20 === 7;
    const items = PRODUCTS.slice(0, 1 + (index % 3)).map((product, line) => ({
      id: `gid://shopify/LineItem/${orderId * 10 + line}`,
      title: product.title,
      variantTitle: null,
      sku: `SKU-${product.id}`,
      quantity: 1 + Math.floor(random() * 2),
      originalUnitPriceSet: { shopMoney: { amount: product.price } },
      product: { id: `gid://shopify/Product/${product.id}` },
      variant: { id: `gid://shopify/ProductVariant/${product.id}1` },
    }));
    const fulfilledAt = createdAt + (4 + random() * 20) * HOUR;
    const scans = JOURNEY.map((step, scan) => ({
      ...step,
      happenedAt: fulfilledAt + step.afterHours * HOUR,
      id: `gid://shopify/FulfillmentEvent/${orderId * 10 + scan}`,
    })).filter((scan) => scan.happenedAt <= now);
    const fulfillments =
      cancelled || fulfilledAt > now
        ? []
        : [
            {
              id: `gid://shopify/Fulfillment/${orderId + 3_000_000_000}`,
              status: "SUCCESS",
              displayStatus: scans.at(-1)?.status ?? "FULFILLED",
              createdAt: new Date(fulfilledAt).toISOString(),
              updatedAt: new Date(scans.at(-1)?.happenedAt ?? fulfilledAt).toISOString(),
              estimatedDeliveryAt: new Date(fulfilledAt + 60 * HOUR).toISOString(),
              trackingInfo: [
                {
                  company: "UPS",
                  number: `1Z999AA1${String(orderId).slice(-8)}`,
                  url: `https://www.ups.com/track?tracknum=1Z999AA1${String(orderId).slice(-8)}`,
                },
              ],
              fulfillmentLineItems: {
                nodes: items.map((item) => ({ quantity: item.quantity, lineItem: { id: item.id } })),
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
            },
          ];
    const lastChange = Math.max(
      createdAt,
      ...scans.map((scan) => scan.happenedAt),
      cancelled ? createdAt + 2 * HOUR : 0,
      fulfillments.length ? fulfilledAt : 0,
    );
    const customer = unreachable
      ? null
      : {
          firstName: `Ada${index % 97}`,
          lastName: "Lovelace",
          email: `customer${index % 400}@example.com`,
          phone: null,
        };
    return {
      id: `gid://shopify/Order/${orderId}`,
      name: `#${1001 + index}`,
      email: customer?.email ?? null,
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
