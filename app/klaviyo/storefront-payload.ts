import type { PixelEvent, PixelMoney, PixelProductVariant } from "../platform/pixel-batch";
import { contactPhone } from "../tracking/contact";
import { metricFor, type EventKey } from "../tracking/event-catalog";
import type { Contact } from "../tracking/normalize";
import type { StoreIdentity } from "./event-payload";

// The Create Event body of a storefront event (Klaviyo JSON:API, revision 2026-07-15), with the
// property names Klaviyo's own onsite tracking gives these metrics (ProductName, ProductID, SKU,
// URL, ImageURL, Price, Categories; Items and ItemNames; SearchTerm; CheckoutURL), so flows and
// templates built for them work unchanged. Pure: what it returns is frozen with the event.

export interface StorefrontEventInput {
  eventKey: EventKey;
  uniqueId: string;
  event: PixelEvent;
  /** Shopify's clientId of the browser: the profile's anonymous_id. */
  clientId: string;
  /** Who the browser is known to be (email, phone, name), when it is. */
  contact: Contact;
  store: StoreIdentity;
  /** A test from Track Settings marks itself (waypost_test_event); a sample for metric creation is backfill. */
  extraProperties?: Record<string, unknown>;
  backfill?: boolean;
}

/** Product ids as order events carry them (the numeric id of a Shopify GID), so catalogs match. */
const legacyId = (id: string | null | undefined) => (id ? (/\/(\d+)$/.exec(id)?.[1] ?? id) : null);

/** A link as Klaviyo's emails need it: absolute, https for Shopify's protocol-relative CDN links. */
function absoluteUrl(link: string | null | undefined, base: string): string | null {
  if (!link) return null;
  try {
    const url = new URL(link, base);
    return url.protocol === "https:" || url.protocol === "http:" ? url.toString() : null;
  } catch {
    return null;
  }
}

const amountOf = (money: PixelMoney | null | undefined) => (typeof money?.amount === "number" ? money.amount : null);
const round = (value: number) => Math.round(value * 100) / 100;

function itemOf(variant: PixelProductVariant | null | undefined, base: string, quantity = 1, rowTotal?: number | null) {
  const price = amountOf(variant?.price);
  return {
    ProductID: legacyId(variant?.product?.id),
    VariantID: legacyId(variant?.id),
    SKU: variant?.sku ?? null,
    ProductName: variant?.product?.title ?? variant?.title ?? null,
    VariantName: variant?.title ?? null,
    Quantity: quantity,
    ItemPrice: price,
    RowTotal: rowTotal ?? (price === null ? null : round(price * quantity)),
    ProductURL: absoluteUrl(variant?.product?.url, base),
    ImageURL: absoluteUrl(variant?.image?.src, base),
    ProductCategories: variant?.product?.type ? [variant.product.type] : [],
    Brand: variant?.product?.vendor ?? null,
  };
}

/** The properties of each storefront metric, and its value and currency when it has one. */
function propertiesOf(input: StorefrontEventInput, base: string) {
  const { event } = input;
  const page = event.context?.document;
  const url = absoluteUrl(page?.location?.href, base);
  const { data } = event;
  switch (input.eventKey) {
    case "viewed_product": {
      const item = itemOf(data.productVariant, base);
      return {
        properties: {
          ProductName: item.ProductName,
          ProductID: item.ProductID,
          VariantID: item.VariantID,
          SKU: item.SKU,
          URL: item.ProductURL ?? url,
          ImageURL: item.ImageURL,
          Price: item.ItemPrice,
          Brand: item.Brand,
          Categories: item.ProductCategories,
        },
        money: data.productVariant?.price,
      };
    }
    case "viewed_collection": {
      const items = (data.collection?.productVariants ?? []).map((variant) => itemOf(variant, base));
      return {
        properties: {
          CollectionID: legacyId(data.collection?.id),
          CollectionName: data.collection?.title ?? null,
          URL: url,
          ItemNames: items.map((item) => item.ProductName),
          Items: items,
        },
      };
    }
    case "searched_site":
      return {
        properties: {
          SearchTerm: data.searchResult?.query ?? "",
          ReturnedResults: data.searchResult?.productVariants?.length ?? 0,
          URL: url,
        },
      };
    case "added_to_cart": {
      const line = data.cartLine;
      const item = itemOf(line?.merchandise, base, line?.quantity ?? 1, amountOf(line?.cost?.totalAmount));
      return {
        properties: {
          AddedItemProductName: item.ProductName,
          AddedItemProductID: item.ProductID,
          AddedItemSKU: item.SKU,
          AddedItemCategories: item.ProductCategories,
          AddedItemImageURL: item.ImageURL,
          AddedItemURL: item.ProductURL,
          AddedItemPrice: item.ItemPrice,
          AddedItemQuantity: item.Quantity,
          ItemNames: [item.ProductName],
          Items: [item],
        },
        money: line?.cost?.totalAmount ?? null,
      };
    }
    case "started_checkout": {
      const checkout = data.checkout;
      const items = (checkout?.lineItems ?? []).map((line) =>
        itemOf(line.variant, base, line.quantity ?? 1, amountOf(line.finalLinePrice)),
      );
      return {
        properties: {
          CheckoutURL: url,
          ItemNames: items.map((item) => item.ProductName),
          Items: items,
          Categories: [...new Set(items.flatMap((item) => item.ProductCategories))],
          Subtotal: amountOf(checkout?.subtotalPrice),
        },
        money: checkout?.totalPrice
          ? {
              amount: checkout.totalPrice.amount,
              currencyCode: checkout.totalPrice.currencyCode ?? checkout.currencyCode,
            }
          : null,
      };
    }
    default:
      // Active on Site and Logged In: where the shopper was.
      return { properties: { URL: url, PageTitle: page?.title ?? null, Referrer: page?.referrer ?? null } };
  }
}

/** The profile: always the browser's anonymous_id; email, phone and name once the visitor is known. */
export function storefrontProfile(clientId: string, contact: Contact) {
  const phone = contactPhone(contact);
  return {
    anonymous_id: clientId,
    ...(contact.email ? { email: contact.email.toLowerCase() } : {}),
    ...(phone ? { phone_number: phone } : {}),
    ...(contact.firstName ? { first_name: contact.firstName } : {}),
    ...(contact.lastName ? { last_name: contact.lastName } : {}),
  };
}

export function buildStorefrontPayload(input: StorefrontEventInput) {
  const base = `https://${input.store.domain}/`;
  const { properties, money } = propertiesOf(input, base);
  const value = amountOf(money);
  const currency = money?.currencyCode ?? null;
  return {
    data: {
      type: "event",
      attributes: {
        metric: { data: { type: "metric", attributes: { name: metricFor(input.eventKey) } } },
        profile: { data: { type: "profile", attributes: storefrontProfile(input.clientId, input.contact) } },
        // Marked, so a flow can tell Waypost's storefront events from another source's of the same metric.
        properties: { ...properties, waypost_source: "storefront", ...input.extraProperties },
        time: new Date(input.event.timestamp).toISOString().replace(/\.\d{3}Z$/, "Z"),
        // A value in an unknown currency would be counted in the Klaviyo account's: none is sent.
        ...(value !== null && currency ? { value: round(value), value_currency: currency } : {}),
        unique_id: input.uniqueId,
        ...(input.backfill ? { backfill: true } : {}),
      },
    },
  };
}
