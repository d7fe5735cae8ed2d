import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { expect, test, type Page } from "@playwright/test";
import {
  checkoutStarted,
  consent,
  pageViewed,
  productAddedToCart,
  productViewed,
  searchSubmitted,
  SHOP_DOMAIN,
  signedInCustomer,
} from "../app/extensions/waypost-pixel/src/standard-events";
import { APP_PORT } from "./playwright.config";
import {
  grantConsent,
  openStorefront as openStandIn,
  publish,
  startStorefront,
  type StandInStorefront,
} from "./support/storefront-stand-in";

// The built pixel in Chromium, inside a stand-in of Shopify's strict sandbox, publishing Shopify's
// documented standard events. What it POSTs is captured at a small ingest on another origin, so the
// wire itself is checked here; storefront-to-klaviyo.spec.ts sends it to Waypost's real ingest.

const STOREFRONT_PORT = APP_PORT + 50;
const INGEST_PORT = APP_PORT + 51;
const INGEST_URL = `http://localhost:${INGEST_PORT}/pixel/events`;

interface Captured {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

let storefront: StandInStorefront;
let ingest: Server;
let captured: Captured[] = [];

test.beforeAll(async () => {
  storefront = await startStorefront(STOREFRONT_PORT);
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
  await new Promise<void>((done) => ingest.listen(INGEST_PORT, "127.0.0.1", done));
});

test.afterAll(async () => {
  await storefront.close();
  await new Promise<void>((done) => ingest.close(() => done()));
});

test.beforeEach(() => {
  captured = [];
});

/** A storefront page with the pixel loaded for the fixtures' shop, posting to the capturing ingest. */
const openStorefront = (
  page: Page,
  { events = undefined as string | undefined, customer = null as unknown, allowed = consent(true) } = {},
) =>
  openStandIn(page, storefront, {
    settings: { ingestUrl: INGEST_URL, pixelKey: "wpk_public_key", ...(events ? { events } : {}) },
    shopDomain: SHOP_DOMAIN,
    customer,
    allowed,
  });

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
  expect(request.headers.origin).toBe(storefront.url);
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
