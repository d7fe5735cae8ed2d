import type { PixelEvent, PixelEventName, PixelProductVariant } from "../platform/pixel-batch";
import type { EventKey } from "../tracking/event-catalog";
import { EVENT_OF_PIXEL } from "../tracking/storefront-events";

// A shopper's storefront events on the sample order's stoneware mug, in the pixel contract's shape:
// what Track Settings previews and what a test event or a metric's sample sends. Pure.

const MUG: PixelProductVariant = {
  id: "gid://shopify/ProductVariant/801",
  title: "Blue",
  sku: "MUG-BLU",
  price: { amount: 18, currencyCode: "USD" },
  image: { src: "//cdn.shopify.com/s/files/sample/stoneware-mug-blue.jpg" },
  product: {
    id: "gid://shopify/Product/701",
    title: "Stoneware mug",
    vendor: "Clayworks",
    type: "Kitchen",
    url: "/products/stoneware-mug",
  },
};

const DATA: Record<PixelEventName, PixelEvent["data"]> = {
  page_viewed: {},
  logged_in: {},
  product_viewed: { productVariant: MUG },
  collection_viewed: { collection: { id: "gid://shopify/Collection/901", title: "Kitchen", productVariants: [MUG] } },
  search_submitted: { searchResult: { query: "mug", productVariants: [MUG] } },
  product_added_to_cart: {
    cartLine: { quantity: 2, cost: { totalAmount: { amount: 36, currencyCode: "USD" } }, merchandise: MUG },
  },
  checkout_started: {
    checkout: {
      currencyCode: "USD",
      totalPrice: { amount: 36, currencyCode: "USD" },
      subtotalPrice: { amount: 36, currencyCode: "USD" },
      lineItems: [
        { title: "Stoneware mug", quantity: 2, variant: MUG, finalLinePrice: { amount: 36, currencyCode: "USD" } },
      ],
    },
  },
};

const PATH: Record<PixelEventName, string> = {
  page_viewed: "/",
  logged_in: "/account",
  product_viewed: "/products/stoneware-mug",
  collection_viewed: "/collections/kitchen",
  search_submitted: "/search?q=mug",
  product_added_to_cart: "/products/stoneware-mug",
  checkout_started: "/checkouts/cn/sample/information",
};

export function sampleStorefrontEvent(eventKey: EventKey, storeDomain: string, now: Date): PixelEvent {
  const name = (Object.keys(EVENT_OF_PIXEL) as PixelEventName[]).find((pixel) => EVENT_OF_PIXEL[pixel] === eventKey);
  if (!name) throw new Error(`${eventKey} is not a storefront event`);
  return {
    id: `sample-${name}`,
    name,
    timestamp: now.toISOString(),
    context: {
      document: { location: { href: `https://${storeDomain}${PATH[name]}` }, referrer: null, title: "Sample" },
    },
    data: DATA[name],
  };
}
