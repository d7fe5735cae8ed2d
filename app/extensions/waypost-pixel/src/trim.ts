import {
  MAX_CHECKOUT_LINE_ITEMS,
  MAX_LISTED_VARIANTS,
  type PixelCustomer,
  type PixelEvent,
  type PixelEventName,
  type PixelMoney,
  type PixelVariant,
} from "./contract";

// Shopify's standard event objects are forwarded as they are, cut down to the fields the contract
// allows: anything else Shopify adds (addresses, discounts, navigator) never leaves the browser.

/** Long strings (a URL with a huge query, a title) are cut, so one event cannot crowd out a batch. */
const MAX_TEXT = 1000;
type Loose = Record<string, unknown> | null | undefined;

const text = (value: unknown): string | null | undefined =>
  typeof value === "string" ? value.slice(0, MAX_TEXT) : value === null ? null : undefined;
const object = (value: unknown): Loose => (value && typeof value === "object" ? (value as Loose) : undefined);

/** Drops absent fields so the body carries only what Shopify gave. */
function defined<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}

function money(value: unknown): PixelMoney | undefined {
  const source = object(value);
  if (!source) return undefined;
  return defined({
    amount: typeof source.amount === "number" ? source.amount : undefined,
    currencyCode: text(source.currencyCode) ?? undefined,
  });
}

export function trimVariant(value: unknown): PixelVariant | null {
  const variant = object(value);
  if (!variant) return null;
  const product = object(variant.product);
  const image = object(variant.image);
  return defined({
    id: text(variant.id),
    title: text(variant.title),
    sku: text(variant.sku),
    price: money(variant.price),
    image: image ? { src: text(image.src) ?? null } : image === null ? null : undefined,
    product: product
      ? defined({
          id: text(product.id),
          title: text(product.title) ?? undefined,
          vendor: text(product.vendor) ?? undefined,
          type: text(product.type),
          url: text(product.url),
        })
      : undefined,
  });
}

const variants = (list: unknown, limit = MAX_LISTED_VARIANTS) =>
  Array.isArray(list) ? list.slice(0, limit).map(trimVariant) : undefined;

/** Each event's own `data`, only the documented fields the contract names. */
const TRIM_DATA: Record<PixelEventName, (data: Loose) => Record<string, unknown>> = {
  page_viewed: () => ({}),
  logged_in: () => ({}),
  product_viewed: (data) => ({ productVariant: trimVariant(data?.productVariant) }),
  collection_viewed: (data) => {
    const collection = object(data?.collection);
    return {
      collection: collection
        ? defined({
            id: text(collection.id),
            title: text(collection.title),
            productVariants: variants(collection.productVariants),
          })
        : null,
    };
  },
  search_submitted: (data) => {
    const result = object(data?.searchResult);
    return {
      searchResult: result
        ? defined({ query: text(result.query), productVariants: variants(result.productVariants) })
        : null,
    };
  },
  product_added_to_cart: (data) => {
    const line = object(data?.cartLine);
    const cost = object(line?.cost);
    return {
      cartLine: line
        ? defined({
            quantity: typeof line.quantity === "number" ? line.quantity : undefined,
            cost: cost ? defined({ totalAmount: money(cost.totalAmount) }) : undefined,
            merchandise: trimVariant(line.merchandise),
          })
        : null,
    };
  },
  checkout_started: (data) => {
    const checkout = object(data?.checkout);
    if (!checkout) return { checkout: null };
    const lineItems = Array.isArray(checkout.lineItems)
      ? checkout.lineItems.slice(0, MAX_CHECKOUT_LINE_ITEMS)
      : undefined;
    return {
      checkout: defined({
        token: text(checkout.token),
        currencyCode: text(checkout.currencyCode),
        totalPrice: money(checkout.totalPrice) ?? (checkout.totalPrice === null ? null : undefined),
        subtotalPrice: money(checkout.subtotalPrice) ?? (checkout.subtotalPrice === null ? null : undefined),
        email: text(checkout.email),
        phone: text(checkout.phone),
        lineItems: lineItems?.map((item) => {
          const line = object(item);
          return defined({
            title: text(line?.title),
            quantity: typeof line?.quantity === "number" ? line.quantity : undefined,
            variant: trimVariant(line?.variant),
          });
        }),
      }),
    };
  },
};

/** A Shopify standard event (or the pixel's own logged_in) as the contract sends it; null when it lacks an id or name. */
export function trimEvent(event: unknown, name: PixelEventName): PixelEvent | null {
  const source = object(event);
  if (!source || typeof source.id !== "string" || !source.id) return null;
  const documentOf = object(object(source.context)?.document);
  return {
    id: source.id.slice(0, 200),
    name,
    timestamp: typeof source.timestamp === "string" ? source.timestamp : new Date().toISOString(),
    context: {
      document: {
        location: { href: text(object(documentOf?.location)?.href) ?? "" },
        referrer: text(documentOf?.referrer) ?? "",
        title: text(documentOf?.title) ?? "",
      },
    },
    data: TRIM_DATA[name](object(source.data)),
  };
}

/** init.data.customer, as far as the contract carries it; null for a guest. */
export function trimCustomer(value: unknown): PixelCustomer | null {
  const customer = object(value);
  if (!customer || typeof customer.id !== "string" || !customer.id) return null;
  return defined({
    id: customer.id,
    email: text(customer.email),
    phone: text(customer.phone),
    firstName: text(customer.firstName),
    lastName: text(customer.lastName),
  });
}
