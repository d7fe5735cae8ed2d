import Ajv, { type ErrorObject } from "ajv";
import addFormats from "ajv-formats";
import {
  CONTRACT_VERSION,
  MAX_BATCH_BYTES,
  MAX_CHECKOUT_LINE_ITEMS,
  MAX_EVENTS_PER_BATCH,
  MAX_LISTED_VARIANTS,
  PIXEL_EVENT_NAMES,
  type PixelEventName,
} from "../extensions/waypost-pixel/src/contract";

// The storefront pixel's wire contract (version 1): one batch of Shopify standard events, trimmed
// to the documented fields Waypost uses (shopify.dev/docs/api/web-pixels-api/standard-events).
// Pure. Types are strict (a wrong one refuses the batch); fields the schema does not name are
// dropped, never stored, so only what the schema allows can ever reach the shop's Klaviyo.

// The names and limits are the extension's (its contract module imports nothing, so the Shopify
// CLI can bundle it alone): the pixel and the ingest can never disagree on them.
export { PIXEL_EVENT_NAMES, type PixelEventName } from "../extensions/waypost-pixel/src/contract";
export const PIXEL_BATCH_MAX_BYTES = MAX_BATCH_BYTES;
export const PIXEL_BATCH_MAX_EVENTS = MAX_EVENTS_PER_BATCH;

export interface PixelMoney {
  amount?: number | null;
  currencyCode?: string | null;
}
export interface PixelProductVariant {
  id?: string | null;
  title?: string | null;
  untranslatedTitle?: string | null;
  sku?: string | null;
  price?: PixelMoney | null;
  image?: { src?: string | null } | null;
  product?: {
    id?: string | null;
    title?: string | null;
    untranslatedTitle?: string | null;
    vendor?: string | null;
    type?: string | null;
    url?: string | null;
  } | null;
}
export interface PixelCheckoutLine {
  id?: string | null;
  title?: string | null;
  quantity?: number | null;
  variant?: PixelProductVariant | null;
  finalLinePrice?: PixelMoney | null;
}
export interface PixelEventData {
  productVariant?: PixelProductVariant;
  collection?: { id?: string | null; title?: string | null; productVariants?: PixelProductVariant[] };
  searchResult?: { query: string; productVariants?: PixelProductVariant[] };
  cartLine?: {
    quantity?: number | null;
    cost?: { totalAmount?: PixelMoney | null } | null;
    merchandise?: PixelProductVariant;
  };
  checkout?: {
    token?: string | null;
    currencyCode?: string | null;
    totalPrice?: PixelMoney | null;
    subtotalPrice?: PixelMoney | null;
    email?: string | null;
    phone?: string | null;
    lineItems?: PixelCheckoutLine[];
  };
}
export interface PixelEvent {
  id: string;
  name: PixelEventName;
  timestamp: string;
  context?: { document?: { location?: { href?: string | null }; referrer?: string | null; title?: string | null } };
  data: PixelEventData;
}
export interface PixelCustomer {
  id?: string | null;
  email?: string | null;
  phone?: string | null;
  firstName?: string | null;
  lastName?: string | null;
}
export interface PixelBatch {
  v: typeof CONTRACT_VERSION;
  shop: string;
  pixelKey: string;
  clientId: string;
  customer: PixelCustomer | null;
  events: PixelEvent[];
}

const text = (maxLength = 500) => ({ type: ["string", "null"], maxLength });
const url = text(2048);
const money = {
  type: ["object", "null"],
  additionalProperties: false,
  properties: { amount: { type: ["number", "null"] }, currencyCode: text(3) },
};
const productVariant = {
  type: "object",
  additionalProperties: false,
  properties: {
    id: text(200),
    title: text(),
    untranslatedTitle: text(),
    sku: text(200),
    price: money,
    image: { type: ["object", "null"], additionalProperties: false, properties: { src: url } },
    product: {
      type: ["object", "null"],
      additionalProperties: false,
      properties: {
        id: text(200),
        title: text(),
        untranslatedTitle: text(),
        vendor: text(),
        type: text(),
        url,
      },
    },
  },
};
const variants = (maxItems: number) => ({ type: "array", maxItems, items: productVariant });
const quantity = { type: ["integer", "null"], minimum: 0, maximum: 100_000 };

/** Each event's `data`: what that standard event documents, and nothing else. */
const DATA_OF: Record<PixelEventName, Record<string, unknown>> = {
  page_viewed: { type: "object", additionalProperties: false, properties: {} },
  logged_in: { type: "object", additionalProperties: false, properties: {} },
  product_viewed: {
    type: "object",
    additionalProperties: false,
    required: ["productVariant"],
    properties: { productVariant },
  },
  collection_viewed: {
    type: "object",
    additionalProperties: false,
    required: ["collection"],
    properties: {
      collection: {
        type: "object",
        additionalProperties: false,
        properties: { id: text(200), title: text(), productVariants: variants(MAX_LISTED_VARIANTS) },
      },
    },
  },
  search_submitted: {
    type: "object",
    additionalProperties: false,
    required: ["searchResult"],
    properties: {
      searchResult: {
        type: "object",
        additionalProperties: false,
        required: ["query"],
        properties: { query: { type: "string", maxLength: 500 }, productVariants: variants(MAX_LISTED_VARIANTS) },
      },
    },
  },
  product_added_to_cart: {
    type: "object",
    additionalProperties: false,
    required: ["cartLine"],
    properties: {
      cartLine: {
        type: "object",
        additionalProperties: false,
        required: ["merchandise"],
        properties: {
          quantity,
          cost: { type: ["object", "null"], additionalProperties: false, properties: { totalAmount: money } },
          merchandise: productVariant,
        },
      },
    },
  },
  checkout_started: {
    type: "object",
    additionalProperties: false,
    required: ["checkout"],
    properties: {
      checkout: {
        type: "object",
        additionalProperties: false,
        properties: {
          token: text(200),
          currencyCode: text(3),
          totalPrice: money,
          subtotalPrice: money,
          email: text(320),
          phone: text(50),
          lineItems: {
            type: "array",
            maxItems: MAX_CHECKOUT_LINE_ITEMS,
            items: {
              type: "object",
              additionalProperties: false,
              properties: { id: text(200), title: text(), quantity, variant: productVariant, finalLinePrice: money },
            },
          },
        },
      },
    },
  },
};

const BATCH_SCHEMA = {
  type: "object",
  additionalProperties: false,
  required: ["v", "shop", "pixelKey", "clientId", "events"],
  properties: {
    v: { const: 1 },
    shop: { type: "string", maxLength: 255 },
    pixelKey: { type: "string", minLength: 1, maxLength: 200 },
    clientId: { type: "string", minLength: 1, maxLength: 200 },
    customer: {
      type: ["object", "null"],
      additionalProperties: false,
      properties: {
        id: text(200),
        email: text(320),
        phone: text(50),
        firstName: text(200),
        lastName: text(200),
      },
    },
    events: {
      type: "array",
      minItems: 1,
      maxItems: PIXEL_BATCH_MAX_EVENTS,
      items: {
        type: "object",
        additionalProperties: false,
        required: ["id", "name", "timestamp", "data"],
        properties: {
          id: { type: "string", minLength: 1, maxLength: 300 },
          name: { enum: PIXEL_EVENT_NAMES },
          timestamp: { type: "string", format: "date-time", maxLength: 40 },
          context: {
            type: "object",
            additionalProperties: false,
            properties: {
              document: {
                type: "object",
                additionalProperties: false,
                properties: {
                  location: { type: "object", additionalProperties: false, properties: { href: url } },
                  referrer: url,
                  title: text(),
                },
              },
            },
          },
          data: { type: "object" },
        },
        allOf: PIXEL_EVENT_NAMES.map((name) => ({
          if: { properties: { name: { const: name } } },
          then: { properties: { data: DATA_OF[name] } },
        })),
      },
    },
  },
};

// removeAdditional: true drops exactly the properties an `additionalProperties: false` schema
// does not name (never those of the `if` probes above, which have no such keyword).
const ajv = new Ajv({ allErrors: false, removeAdditional: true, strict: false });
addFormats(ajv, ["date-time"]);
const validateBatch = ajv.compile<PixelBatch>(BATCH_SCHEMA);

export type BatchReading = { ok: true; batch: PixelBatch } | { ok: false; detail: string };

/**
 * Reads a batch's JSON text against the contract: the batch with unknown fields dropped, or what
 * is wrong with it, in words a pixel developer can act on ("/events/0/name must be one of …").
 */
export function readPixelBatch(body: string): BatchReading {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { ok: false, detail: "the body is not valid JSON" };
  }
  if (validateBatch(parsed)) return { ok: true, batch: parsed };
  return { ok: false, detail: describe(validateBatch.errors?.[0]) };
}

function describe(error: ErrorObject | undefined): string {
  if (!error) return "the batch does not match the pixel contract";
  const where = error.instancePath || "the batch";
  if (error.keyword === "enum") {
    const allowed = (error.params as { allowedValues: unknown[] }).allowedValues.join(", ");
    return `${where} must be one of: ${allowed}`;
  }
  return `${where} ${error.message ?? "is not valid"}`;
}
