import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { resolve } from "node:path";
import type { Page } from "@playwright/test";
import { storefrontAsset } from "../../app/demo/storefront/assets.server";
import { consent, pageViewed } from "../../app/extensions/waypost-pixel/src/standard-events";

// A storefront with the built pixel inside a stand-in of Shopify's strict sandbox (a web worker with
// the Standard API: app/demo/storefront/, as the demo storefront runs it), served on its own origin; a test loads the pixel as
// Shopify would for a shop and visitor, then publishes Shopify's documented standard events.

const FIXTURES = resolve(__dirname, "../fixtures/storefront");

export const ALL_PIXEL_EVENTS =
  "page_viewed,product_viewed,collection_viewed,search_submitted,product_added_to_cart,checkout_started,logged_in";

export interface StandInStorefront {
  url: string;
  close(): Promise<void>;
}

export async function startStorefront(port: number): Promise<StandInStorefront> {
  const url = `http://127.0.0.1:${port}`;
  const files: Record<string, [string, string]> = {
    "/": ["text/html", readFileSync(`${FIXTURES}/storefront.html`, "utf8")],
  };
  for (const name of ["storefront.js", "sandbox-worker.js", "waypost-pixel.js"] as const)
    files[`/${name}`] = ["text/javascript", await storefrontAsset(name)];
  const server = createServer((request, response) => {
    const file = files[new URL(request.url ?? "/", url).pathname];
    response.writeHead(file ? 200 : 404, { "content-type": file?.[0] ?? "text/plain" });
    response.end(file?.[1] ?? "not found");
  });
  await new Promise<void>((done) => server.listen(port, "127.0.0.1", done));
  return { url, close: () => new Promise<void>((done) => server.close(() => done())) };
}

export interface StorefrontVisit {
  /** The pixel's settings as Waypost sets them with webPixelCreate. */
  settings: { ingestUrl: string; pixelKey: string; events?: string };
  shopDomain: string;
  /** init.data.customer: null for a guest. */
  customer?: unknown;
  allowed?: ReturnType<typeof consent>;
}

/** Opens a storefront page with the pixel loaded as Shopify would load it for this shop and visitor. */
export async function openStorefront(page: Page, storefront: StandInStorefront, visit: StorefrontVisit) {
  const { settings, shopDomain, customer = null, allowed = consent(true) } = visit;
  await page.goto(storefront.url);
  await page.evaluate(
    ({ settings, init }) =>
      (window as unknown as { storefront: { load: (s: unknown, i: unknown) => Promise<void> } }).storefront.load(
        settings,
        init,
      ),
    {
      settings: { events: ALL_PIXEL_EVENTS, ...settings },
      init: {
        context: pageViewed().context,
        data: {
          customer,
          cart: null,
          shop: {
            countryCode: "US",
            myshopifyDomain: shopDomain,
            name: "Waypost Outfitters",
            paymentSettings: { currencyCode: "USD" },
            storefrontUrl: `https://${shopDomain}`,
          },
          purchasingCompany: null,
        },
        customerPrivacy: allowed,
      },
    },
  );
}

/** Publishes one standard event to the pixel, as Shopify's storefront does. */
export const publish = (page: Page, name: string, event: unknown) =>
  page.evaluate(
    ({ name, event }) =>
      (window as unknown as { storefront: { publish: (n: string, e: unknown) => void } }).storefront.publish(
        name,
        event,
      ),
    { name, event },
  );

/** The visitor answers the storefront's consent banner. */
export const grantConsent = (page: Page, privacy: ReturnType<typeof consent>) =>
  page.evaluate(
    (privacy) => (window as unknown as { storefront: { consent: (p: unknown) => void } }).storefront.consent(privacy),
    privacy,
  );
