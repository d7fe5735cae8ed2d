import { readFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { resolve } from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { buildStorefrontPixel } from "./support/build-pixel";
import {
  checkoutStarted,
  consent,
  pageViewed,
  productAddedToCart,
  productViewed,
  searchSubmitted,
  SHOP_DOMAIN,
  signedInCustomer,
} from "./fixtures/shopify/standard-events";
import { APP_PORT } from "./playwright.config";

// The built pixel in Chromium, inside a stand-in of Shopify's strict sandbox (a web worker with the
// Standard API: e2e/fixtures/storefront/), publishing Shopify's documented standard events. What it
// POSTs is captured at a small ingest on another origin, as Waypost's /pixel/events is for a storefront.
// The pixel-server branch's real endpoint answers the same contract; after the merge this can point at it.

const STOREFRONT_PORT = APP_PORT + 50;
const INGEST_PORT = APP_PORT + 51;
const STOREFRONT = `http://127.0.0.1:${STOREFRONT_PORT}`;
const INGEST_URL = `http://localhost:${INGEST_PORT}/pixel/events`;
const FIXTURES = resolve(__dirname, "fixtures/storefront");
const ALL_EVENTS =
  "page_viewed,product_viewed,collection_viewed,search_submitted,product_added_to_cart,checkout_started,logged_in";

interface Captured {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

let storefront: Server;
let ingest: Server;
let captured: Captured[] = [];

const listen = (server: Server, port: number) => new Promise<void>((done) => server.listen(port, "127.0.0.1", done));
const close = (server: Server) => new Promise<void>((done) => server.close(() => done()));

test.beforeAll(async () => {
  const pixel = await buildStorefrontPixel();
  const files: Record<string, [string, string]> = {
    "/": ["text/html", readFileSync(`${FIXTURES}/storefront.html`, "utf8")],
    "/sandbox-worker.js": ["text/javascript", readFileSync(`${FIXTURES}/sandbox-worker.js`, "utf8")],
    "/waypost-pixel.js": ["text/javascript", pixel],
  };
  storefront = createServer((request, response) => {
    const file = files[new URL(request.url ?? "/", STOREFRONT).pathname];
    response.writeHead(file ? 200 : 404, { "content-type": file?.[0] ?? "text/plain" });
    response.end(file?.[1] ?? "not found");
  });
  ingest = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => (body += chunk));
    request.on("end", () => {
      captured.push({ method: request.method ?? "", path: request.url ?? "", headers: request.headers, body });
      // The contract's answer: 204, with CORS for the storefront's origin.
      response.writeHead(204, {
        "access-control-allow-origin": request.headers.origin ?? "*",
        "access-control-allow-methods": "POST, OPTIONS",
        "access-control-allow-headers": "content-type",
      });
      response.end();
    });
  });
  await Promise.all([listen(storefront, STOREFRONT_PORT), listen(ingest, INGEST_PORT)]);
});

test.afterAll(async () => {
  await Promise.all([close(storefront), close(ingest)]);
});

test.beforeEach(() => {
  captured = [];
});

/** A storefront page with the pixel loaded as Shopify would load it for this shop and visitor. */
async function openStorefront(
  page: Page,
  { events = ALL_EVENTS, customer = null as unknown, allowed = consent(true) } = {},
) {
  await page.goto(STOREFRONT);
  await page.evaluate(
    ({ settings, init }) =>
      (window as unknown as { storefront: { load: (s: unknown, i: unknown) => Promise<void> } }).storefront.load(
        settings,
        init,
      ),
    {
      settings: { ingestUrl: INGEST_URL, pixelKey: "wpk_public_key", events },
      init: {
        context: pageViewed().context,
        data: {
          customer,
          cart: null,
          shop: {
            countryCode: "US",
            myshopifyDomain: SHOP_DOMAIN,
            name: "Waypost Outfitters",
            paymentSettings: { currencyCode: "USD" },
            storefrontUrl: `https://${SHOP_DOMAIN}`,
          },
          purchasingCompany: null,
        },
        customerPrivacy: allowed,
      },
    },
  );
}

const publish = (page: Page, name: string, event: unknown) =>
  page.evaluate(
    ({ name, event }) =>
      (window as unknown as { storefront: { publish: (n: string, e: unknown) => void } }).storefront.publish(
        name,
        event,
      ),
    { name, event },
  );
const grantConsent = (page: Page, privacy: ReturnType<typeof consent>) =>
  page.evaluate(
    (privacy) => (window as unknown as { storefront: { consent: (p: unknown) => void } }).storefront.consent(privacy),
    privacy,
  );

const posts = () => captured.filter((request) => request.method === "POST");
const sentEvents = () =>
  posts().flatMap((request) => (JSON.parse(request.body) as { events: Array<{ id: string; name: string }> }).events);

test("with consent, the storefront's events reach the ingest URL as one batch in the contract's shape", async ({
  page,
}) => {
  await openStorefront(page);
  await publish(page, "page_viewed", pageViewed());
  await publish(page, "product_viewed", productViewed());
  await publish(page, "product_added_to_cart", productAddedToCart());
  await expect.poll(() => sentEvents().length, { timeout: 10_000 }).toBe(3);

  expect(posts()).toHaveLength(1);
  const [request] = posts();
  expect(request.path).toBe("/pixel/events");
  expect(request.headers["content-type"]).toBe("text/plain;charset=UTF-8");
  expect(request.headers.origin).toBe(STOREFRONT);
  // text/plain is a simple request: no preflight.
  expect(captured.filter((seen) => seen.method === "OPTIONS")).toEqual([]);
  const batch = JSON.parse(request.body);
  expect(batch).toMatchObject({
    v: 1,
    shop: SHOP_DOMAIN,
    pixelKey: "wpk_public_key",
    clientId: pageViewed().clientId,
    customer: null,
  });
  expect(batch.events.map((event: { name: string; id: string }) => [event.name, event.id])).toEqual([
    ["page_viewed", "sh-page-1"],
    ["product_viewed", "sh-product-1"],
    ["product_added_to_cart", "sh-cart-1"],
  ]);
  expect(batch.events[1]).toEqual({
    id: "sh-product-1",
    name: "product_viewed",
    timestamp: productViewed().timestamp,
    context: {
      document: {
        location: { href: productViewed().context.document.location.href },
        referrer: productViewed().context.document.referrer,
        title: "Trail Runner 1",
      },
    },
    data: {
      productVariant: expect.objectContaining({ id: productViewed().data.productVariant.id, sku: "TR-1-42" }),
    },
  });
  expect(request.body).not.toContain("userAgent");
  expect(new TextEncoder().encode(request.body).length).toBeLessThanOrEqual(16 * 1024);
});

test("without consent nothing leaves the browser; once the visitor consents, what follows is sent", async ({
  page,
}) => {
  await openStorefront(page, { allowed: consent(false) });
  await publish(page, "page_viewed", pageViewed());
  await publish(page, "product_viewed", productViewed("before-consent"));
  await page.waitForTimeout(2500);
  expect(captured).toEqual([]);

  await grantConsent(page, consent(true));
  await publish(page, "search_submitted", searchSubmitted());
  await publish(page, "checkout_started", checkoutStarted());
  await expect
    .poll(() => sentEvents().map((event) => event.name), { timeout: 10_000 })
    .toEqual(["search_submitted", "checkout_started"]);
  expect(sentEvents().map((event) => event.id)).not.toContain("before-consent");
});

test("analytics consent alone sends Active on Site only: the marketing events wait for marketing consent", async ({
  page,
}) => {
  await openStorefront(page, { allowed: consent(true, false) });
  await publish(page, "page_viewed", pageViewed());
  await publish(page, "product_viewed", productViewed());
  await expect.poll(() => sentEvents().length, { timeout: 10_000 }).toBe(1);
  await page.waitForTimeout(1500);
  expect(sentEvents().map((event) => event.name)).toEqual(["page_viewed"]);
});

test("events the shop has not enabled are not sent", async ({ page }) => {
  await openStorefront(page, { events: "product_viewed" });
  await publish(page, "page_viewed", pageViewed());
  await publish(page, "search_submitted", searchSubmitted());
  await publish(page, "product_viewed", productViewed());
  await expect.poll(() => sentEvents().length, { timeout: 10_000 }).toBe(1);
  await page.waitForTimeout(1500);
  expect(sentEvents().map((event) => event.name)).toEqual(["product_viewed"]);
});

test("a signed-in shopper's batch names the customer and carries Logged In once, and Active on Site once a session", async ({
  page,
}) => {
  await openStorefront(page, { customer: signedInCustomer });
  await publish(page, "page_viewed", pageViewed());
  await expect.poll(() => sentEvents().length, { timeout: 10_000 }).toBe(2);
  const batch = JSON.parse(posts()[0].body);
  expect(batch.customer).toEqual({
    id: signedInCustomer.id,
    email: signedInCustomer.email,
    phone: signedInCustomer.phone,
    firstName: signedInCustomer.firstName,
    lastName: signedInCustomer.lastName,
  });
  expect(sentEvents().map((event) => [event.name, event.id])).toEqual([
    ["logged_in", `logged_in:${pageViewed().clientId}:${signedInCustomer.id}`],
    ["page_viewed", "sh-page-1"],
  ]);

  // The next page in the same tab: a new pixel, the same browser session.
  captured = [];
  await openStorefront(page, { customer: signedInCustomer });
  await publish(page, "page_viewed", pageViewed("sh-page-2", "/collections/shoes"));
  await publish(page, "product_viewed", productViewed("sh-product-2", 2));
  await expect.poll(() => sentEvents().length, { timeout: 10_000 }).toBe(1);
  expect(sentEvents().map((event) => event.name)).toEqual(["product_viewed"]);
});
