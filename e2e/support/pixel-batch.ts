import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { PixelBatch, PixelCustomer, PixelEvent, PixelEventName } from "../../app/platform/pixel-batch";

// A storefront pixel batch as the contract has it (app/platform/pixel-batch.ts), built from
// Shopify's standard-event samples in e2e/fixtures/shopify/web-pixels/, and a way to post one
// the way a browser's sendBeacon does. Integration tests and browser tests share it.

const FIXTURES = join(process.cwd(), "e2e", "fixtures", "shopify", "web-pixels");

export const SAMPLE_CLIENT_ID = "9a1f3c2e-6b7d-4e8f-a012-3456789abcde";

/** A standard event as the pixel sends it: the Shopify sample, trimmed to the contract's fields. */
export function standardEvent(
  name: Exclude<PixelEventName, "logged_in">,
  shop: string,
  overrides: Partial<PixelEvent> = {},
): PixelEvent {
  const sample = JSON.parse(
    readFileSync(join(FIXTURES, `${name}.json`), "utf8").replaceAll("{shop}.myshopify.com", shop),
  );
  const { id, timestamp, context, data } = sample as PixelEvent;
  return { id, name, timestamp, context, data, ...overrides };
}

/** Waypost's own Logged In event, as the pixel makes it when init.data.customer is known. */
export function loggedInEvent(
  clientId: string,
  customerId: string,
  timestamp = "2026-11-30T10:06:00.000Z",
): PixelEvent {
  return { id: `logged_in:${clientId}:${customerId}`, name: "logged_in", timestamp, data: {} };
}

export interface BatchOptions {
  shop: string;
  pixelKey: string;
  clientId?: string;
  customer?: PixelCustomer | null;
  events: PixelEvent[];
}

export function pixelBatch({
  shop,
  pixelKey,
  clientId = SAMPLE_CLIENT_ID,
  customer = null,
  events,
}: BatchOptions): PixelBatch {
  return { v: 1, shop, pixelKey, clientId, customer, events };
}

export interface PostOptions {
  origin?: string | null;
  contentType?: string;
  userAgent?: string;
}

/** A storefront browser's user agent (Chrome on macOS), so the ingest takes it for a person. */
export const BROWSER_USER_AGENT =
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

/** The request sendBeacon makes: a POST with a text/plain string body, from the storefront's origin. */
export function pixelRequest(url: string, body: PixelBatch | string, options: PostOptions = {}): Request {
  const headers = new Headers({
    "content-type": options.contentType ?? "text/plain;charset=UTF-8",
    "user-agent": options.userAgent ?? BROWSER_USER_AGENT,
  });
  if (options.origin !== null) headers.set("origin", options.origin ?? "https://test-shop.myshopify.com");
  return new Request(url, { method: "POST", headers, body: typeof body === "string" ? body : JSON.stringify(body) });
}

/** Posts a batch to a running Waypost (`{appUrl}/pixel/events`) and returns its answer. */
export function postPixelBatch(appUrl: string, body: PixelBatch | string, options: PostOptions = {}) {
  return fetch(pixelRequest(`${appUrl}/pixel/events`, body, options));
}
