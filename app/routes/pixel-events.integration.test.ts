import { beforeEach, describe, expect, it } from "vitest";
import { resetDatabase, seedShop, useKlaviyoDouble } from "../../e2e/support/integration";
import {
  loggedInEvent,
  pixelBatch,
  pixelRequest,
  SAMPLE_CLIENT_ID,
  standardEvent,
} from "../../e2e/support/pixel-batch";
import { prisma } from "../db.server";
import { sendDueEvents } from "../jobs/event-sender.server";
import { processPendingReceipts } from "../jobs/receipt-worker.server";
import type { PixelBatch } from "../platform/pixel-batch";
import { answerPixelRequest, pixelLimits, type PixelIngestOptions } from "../platform/pixel-ingest.server";
import { pixelKeyFor } from "../platform/pixel-key.server";
import { receiveWebhook } from "../platform/webhook-ingest.server";
import { saveTrackSettings } from "../settings/track-settings.server";
import { shopifyFixtureFor } from "../../e2e/support/shopify-payloads";
import { signedWebhookRequest } from "../../e2e/support/webhook-signer";
import type { EventKey } from "../tracking/event-catalog";

const double = useKlaviyoDouble();
const SHOP = "pixel-shop.myshopify.com";
const URL = "https://waypost.test/pixel/events";
const STOREFRONT: EventKey[] = [
  "active_on_site",
  "viewed_product",
  "viewed_collection",
  "searched_site",
  "added_to_cart",
  "started_checkout",
  "logged_in",
];

let shopId: string;
let pixelKey: string;
let options: PixelIngestOptions;

beforeEach(async () => {
  await resetDatabase();
  shopId = (await seedShop({ domain: SHOP, connected: true, goLive: true, events: STOREFRONT })).id;
  pixelKey = await pixelKeyFor(shopId);
  options = { limits: pixelLimits(60, 6000) };
});

const post = (body: PixelBatch | string, requestOptions: Parameters<typeof pixelRequest>[2] = {}) =>
  answerPixelRequest(pixelRequest(URL, body, requestOptions), options);

async function deliver(body: PixelBatch) {
  const answer = await post(body);
  expect(answer.status).toBe(204);
  while ((await processPendingReceipts()) > 0);
  while ((await sendDueEvents({ now: new Date() })).sent > 0);
}

const atDouble = (metric: string) => double.state.events.filter((event) => event.metric === metric);

describe("the storefront pixel's ingest, to Klaviyo", () => {
  it("sends each standard event as its Klaviyo metric, with the browser's anonymous_id and Klaviyo's property names", async () => {
    await deliver(
      pixelBatch({
        shop: SHOP,
        pixelKey,
        events: [
          standardEvent("page_viewed", SHOP),
          standardEvent("product_viewed", SHOP),
          standardEvent("collection_viewed", SHOP),
          standardEvent("search_submitted", SHOP),
          standardEvent("product_added_to_cart", SHOP),
        ],
      }),
    );
    expect(double.state.events.map((event) => event.metric).sort()).toEqual(
      ["Active on Site", "Added to Cart", "Searched Site", "Viewed Collection", "Viewed Product"].sort(),
    );
    for (const event of double.state.events) expect(event.profile).toEqual({ anonymous_id: SAMPLE_CLIENT_ID });
    const [viewed] = atDouble("Viewed Product");
    expect(viewed.uniqueId).toBe(`${SHOP}:pixel:sh-88153c5a-8F2D-4CCA-3231-EF5C032A4C3C`);
    expect(viewed.time).toBe("2026-11-30T10:01:00Z");
    expect(viewed.value).toBe(18);
    expect(viewed.properties).toMatchObject({
      ProductName: "Stoneware mug",
      ProductID: "8101376491712",
      VariantID: "44498356863168",
      SKU: "MUG-BLU",
      URL: `https://${SHOP}/products/stoneware-mug`,
      ImageURL: "https://cdn.shopify.com/s/files/1/0608/9433/files/stoneware-mug-blue.jpg",
      Price: 18,
      Brand: "Clayworks",
      Categories: ["Kitchen"],
      waypost_source: "storefront",
    });
    expect(atDouble("Searched Site")[0].properties).toMatchObject({ SearchTerm: "mug", ReturnedResults: 1 });
    const [added] = atDouble("Added to Cart");
    expect(added.value).toBe(36);
    expect(added.properties).toMatchObject({
      AddedItemProductName: "Stoneware mug",
      AddedItemQuantity: 2,
      ItemNames: ["Stoneware mug"],
      Items: [expect.objectContaining({ ProductID: "8101376491712", Quantity: 2, RowTotal: 36 })],
    });
    expect(atDouble("Viewed Collection")[0].properties).toMatchObject({
      CollectionName: "Kitchen",
      ItemNames: ["Stoneware mug", "Loose-leaf tea"],
    });
    const events = await prisma.trackingEvent.findMany({ where: { shopId } });
    expect(events.map((event) => event.status)).toEqual(Array(5).fill("sent"));
  });

  it("merges the guest into the customer: once the visitor logs in, this and every later event carries anonymous_id with the email", async () => {
    await deliver(pixelBatch({ shop: SHOP, pixelKey, events: [standardEvent("product_viewed", SHOP)] }));
    await deliver(
      pixelBatch({
        shop: SHOP,
        pixelKey,
        customer: { id: "gid://shopify/Customer/1", email: "Ann.Lee@example.com", firstName: "Ann", lastName: "Lee" },
        events: [loggedInEvent(SAMPLE_CLIENT_ID, "gid://shopify/Customer/1")],
      }),
    );
    // A later batch names no customer: Waypost's link from the browser to the customer supplies it.
    await deliver(pixelBatch({ shop: SHOP, pixelKey, events: [standardEvent("product_added_to_cart", SHOP)] }));

    expect(atDouble("Viewed Product")[0].profile).toEqual({ anonymous_id: SAMPLE_CLIENT_ID });
    const merged = {
      anonymous_id: SAMPLE_CLIENT_ID,
      email: "ann.lee@example.com",
      first_name: "Ann",
      last_name: "Lee",
    };
    expect(atDouble("Logged In")[0].profile).toEqual(merged);
    expect(atDouble("Added to Cart")[0].profile).toEqual(merged);
    const visitor = await prisma.storefrontVisitor.findUniqueOrThrow({
      where: { shopId_clientId: { shopId, clientId: SAMPLE_CLIENT_ID } },
    });
    expect(visitor).toMatchObject({ customerId: "gid://shopify/Customer/1", email: "ann.lee@example.com" });
    expect(await prisma.trackingEvent.count({ where: { shopId, customerEmail: "ann.lee@example.com" } })).toBe(2);
  });

  it("identifies a guest by the email typed at checkout: Started Checkout carries it, with the checkout's items and value", async () => {
    await deliver(pixelBatch({ shop: SHOP, pixelKey, events: [standardEvent("checkout_started", SHOP)] }));
    const [checkout] = atDouble("Started Checkout");
    expect(checkout.profile).toEqual({ anonymous_id: SAMPLE_CLIENT_ID, email: "ann.lee@example.com" });
    expect(checkout.value).toBe(53.5);
    expect(checkout.properties).toMatchObject({
      CheckoutURL: `https://${SHOP}/checkouts/cn/Z2NwLXVzLWVhc3QxOjAxSjk/information`,
      ItemNames: ["Stoneware mug", "Loose-leaf tea"],
      Items: [
        expect.objectContaining({ SKU: "MUG-BLU", Quantity: 2, RowTotal: 36 }),
        expect.objectContaining({ SKU: "TEA-01", Quantity: 1, RowTotal: 12.5 }),
      ],
    });
  });

  it("identifies a guest by the order placed from their checkout: the browser's later events carry the order's email", async () => {
    const sample = standardEvent("checkout_started", SHOP);
    const token = sample.data.checkout!.token!;
    // checkout_started comes as the checkout opens, before the shopper types an email.
    const anonymousCheckout = { ...sample, data: { checkout: { ...sample.data.checkout, email: null, phone: null } } };
    await deliver(pixelBatch({ shop: SHOP, pixelKey, events: [anonymousCheckout] }));
    await deliver(
      pixelBatch({
        shop: SHOP,
        pixelKey,
        clientId: "another-browser",
        events: [
          {
            ...anonymousCheckout,
            id: "other-checkout",
            data: { checkout: { ...anonymousCheckout.data.checkout, token: "another-token" } },
          },
        ],
      }),
    );
    expect(atDouble("Started Checkout").map((event) => event.profile)).toEqual([
      { anonymous_id: SAMPLE_CLIENT_ID },
      { anonymous_id: "another-browser" },
    ]);

    // Shopify's documented orders/create, placed from that checkout.
    const order = { ...JSON.parse(shopifyFixtureFor("orders_create", SHOP)), checkout_token: token };
    const answer = await receiveWebhook(
      signedWebhookRequest("https://waypost.test/webhooks", { topic: "orders/create", body: order, shop: SHOP }),
    );
    expect(answer.httpStatus).toBe(200);
    await deliver(pixelBatch({ shop: SHOP, pixelKey, events: [standardEvent("product_viewed", SHOP)] }));
    await deliver(
      pixelBatch({
        shop: SHOP,
        pixelKey,
        clientId: "another-browser",
        events: [standardEvent("product_viewed", SHOP, { id: "other-view" })],
      }),
    );

    expect(atDouble("Viewed Product").map((event) => event.profile)).toEqual([
      expect.objectContaining({ anonymous_id: SAMPLE_CLIENT_ID, email: order.email }),
      { anonymous_id: "another-browser" },
    ]);
    const visitor = await prisma.storefrontVisitor.findUniqueOrThrow({
      where: { shopId_clientId: { shopId, clientId: SAMPLE_CLIENT_ID } },
    });
    expect(visitor).toMatchObject({
      checkoutToken: token,
      email: order.email,
      customerId: order.customer.admin_graphql_api_id,
    });
  });

  it("keeps who a browser already was when an order from its checkout names someone else", async () => {
    await deliver(pixelBatch({ shop: SHOP, pixelKey, events: [standardEvent("checkout_started", SHOP)] }));
    const token = standardEvent("checkout_started", SHOP).data.checkout!.token!;
    const order = { ...JSON.parse(shopifyFixtureFor("orders_create", SHOP)), checkout_token: token };
    await receiveWebhook(
      signedWebhookRequest("https://waypost.test/webhooks", { topic: "orders/create", body: order, shop: SHOP }),
    );
    while ((await processPendingReceipts()) > 0);

    const visitor = await prisma.storefrontVisitor.findUniqueOrThrow({
      where: { shopId_clientId: { shopId, clientId: SAMPLE_CLIENT_ID } },
    });
    expect(visitor.email).toBe("ann.lee@example.com");
  });

  it("counts Active on Site once per visit: page views within 30 minutes are one visit", async () => {
    const view = (id: string, timestamp: string) => standardEvent("page_viewed", SHOP, { id, timestamp });
    await deliver(
      pixelBatch({
        shop: SHOP,
        pixelKey,
        events: [view("p1", "2026-11-30T10:00:00.000Z"), view("p2", "2026-11-30T10:10:00.000Z")],
      }),
    );
    await deliver(pixelBatch({ shop: SHOP, pixelKey, events: [view("p3", "2026-11-30T10:35:00.000Z")] }));
    await deliver(pixelBatch({ shop: SHOP, pixelKey, events: [view("p4", "2026-11-30T11:10:00.000Z")] }));
    expect(atDouble("Active on Site").map((event) => event.uniqueId)).toEqual([`${SHOP}:pixel:p1`, `${SHOP}:pixel:p4`]);
  });

  it("records a batch sent twice once (Shopify's event ids are the unique keys)", async () => {
    const batch = pixelBatch({ shop: SHOP, pixelKey, events: [standardEvent("product_viewed", SHOP)] });
    await deliver(batch);
    await deliver(batch);
    expect(atDouble("Viewed Product")).toHaveLength(1);
    expect(await prisma.trackingEvent.count({ where: { shopId } })).toBe(1);
  });
});

describe("the pipeline's gate for storefront events", () => {
  it("keeps storefront events off by default: accepted, recorded as skipped, nothing sent", async () => {
    await saveTrackSettings(shopId, { goLive: true, enabledEvents: ["placed_order"] });
    await deliver(pixelBatch({ shop: SHOP, pixelKey, events: [standardEvent("product_viewed", SHOP)] }));
    expect(double.state.events).toHaveLength(0);
    const [event] = await prisma.trackingEvent.findMany({ where: { shopId } });
    expect(event).toMatchObject({
      eventKey: "viewed_product",
      status: "skipped",
      skipReason: "This event is turned off in Track Settings",
    });
  });

  it("sends nothing while Go Live is off", async () => {
    await saveTrackSettings(shopId, { goLive: false, enabledEvents: STOREFRONT });
    await deliver(pixelBatch({ shop: SHOP, pixelKey, events: [standardEvent("product_viewed", SHOP)] }));
    expect(double.state.events).toHaveLength(0);
    expect((await prisma.trackingEvent.findFirstOrThrow({ where: { shopId } })).skipReason).toBe("Go Live is off");
  });
});

describe("what the ingest refuses", () => {
  const batch = () => pixelBatch({ shop: SHOP, pixelKey, events: [standardEvent("product_viewed", SHOP)] });
  const errorOf = async (answer: Response) => (await answer.json()) as { error: string; detail: string };
  const stored = () => prisma.webhookReceipt.count();

  it("answers the CORS preflight for a storefront origin, and echoes it on every answer", async () => {
    const preflight = await answerPixelRequest(
      new Request(URL, {
        method: "OPTIONS",
        headers: {
          origin: "https://shop.example.com",
          "access-control-request-method": "POST",
          "access-control-request-headers": "content-type",
        },
      }),
    );
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("https://shop.example.com");
    expect(preflight.headers.get("access-control-allow-methods")).toContain("POST");
    expect(preflight.headers.get("access-control-allow-headers")).toContain("content-type");

    const accepted = await post(batch(), { origin: "https://shop.example.com", contentType: "application/json" });
    expect(accepted.status).toBe(204);
    expect(accepted.headers.get("access-control-allow-origin")).toBe("https://shop.example.com");
    const refused = await post("{", { origin: "null" });
    expect(refused.status).toBe(400);
    expect(refused.headers.get("access-control-allow-origin")).toBe("null");
  });

  it("refuses a page served over plain http from elsewhere, with no CORS headers", async () => {
    const preflight = await answerPixelRequest(
      new Request(URL, { method: "OPTIONS", headers: { origin: "http://evil.example" } }),
    );
    expect(preflight.status).toBe(403);
    expect(preflight.headers.get("access-control-allow-origin")).toBeNull();
    expect((await post(batch(), { origin: "http://evil.example" })).status).toBe(403);
    expect(await stored()).toBe(0);
  });

  it("refuses invalid JSON, a wrong type, an unknown event and an empty batch with 400 and what is wrong", async () => {
    const invalidJson = await post("{not json");
    expect(invalidJson.status).toBe(400);
    expect(await errorOf(invalidJson)).toEqual({ error: "invalid_batch", detail: "the body is not valid JSON" });

    const wrongType = batch();
    (wrongType.events[0].data.productVariant!.price as unknown as { amount: string }).amount = "18.00";
    const typed = await post(wrongType);
    expect(typed.status).toBe(400);
    expect((await errorOf(typed)).detail).toBe("/events/0/data/productVariant/price/amount must be number,null");

    const unknown = batch();
    (unknown.events[0] as { name: string }).name = "order_placed";
    const named = await post(unknown);
    expect(named.status).toBe(400);
    expect((await errorOf(named)).detail).toMatch(/^\/events\/0\/name must be one of: page_viewed, product_viewed/);

    const empty = await post({ ...batch(), events: [] });
    expect((await errorOf(empty)).detail).toBe("/events must NOT have fewer than 1 items");
    expect(await stored()).toBe(0);
  });

  it("refuses a batch over 16 KB with 413 and one of more than 20 events with 400", async () => {
    const huge = batch();
    huge.events[0].data.productVariant!.title = "x".repeat(17_000);
    const oversize = await post(huge);
    expect(oversize.status).toBe(413);
    expect(await errorOf(oversize)).toEqual({ error: "too_large", detail: "a batch is at most 16384 bytes" });

    const many = pixelBatch({
      shop: SHOP,
      pixelKey,
      events: Array.from({ length: 21 }, (_, index) => standardEvent("page_viewed", SHOP, { id: `p${index}` })),
    });
    const tooMany = await post(many);
    expect(tooMany.status).toBe(400);
    expect((await errorOf(tooMany)).detail).toBe("/events must NOT have more than 20 items");
    expect(await stored()).toBe(0);
  });

  it("refuses an unknown shop, an uninstalled one and a wrong pixel key with 403", async () => {
    const unknown = await post({ ...batch(), shop: "nobody.myshopify.com" });
    expect(unknown.status).toBe(403);
    expect((await errorOf(unknown)).error).toBe("forbidden");
    expect((await post({ ...batch(), pixelKey: "wpx_guessed" })).status).toBe(403);
    await prisma.shop.update({ where: { id: shopId }, data: { uninstalledAt: new Date() } });
    expect((await post(batch())).status).toBe(403);
    expect(await stored()).toBe(0);
  });

  it("drops fields the contract does not name: they are never stored nor sent", async () => {
    const extra = batch() as unknown as { events: Array<{ data: Record<string, unknown> }> };
    extra.events[0].data.productVariant = {
      ...(extra.events[0].data.productVariant as object),
      injected: "<script>",
    };
    extra.events[0].data.order = { id: "another shop's order" };
    await deliver(extra as unknown as PixelBatch);
    const receipt = await prisma.webhookReceipt.findFirstOrThrow();
    expect(receipt.body).not.toContain("injected");
    expect(receipt.body).not.toContain("another shop");
    expect(receipt.body).not.toContain(pixelKey);
    expect(JSON.stringify(double.state.events)).not.toContain("injected");
  });

  it("limits one visitor's flood with 429 and Retry-After, while other visitors still get in", async () => {
    options = { limits: pixelLimits(3, 6000), now: () => 1_000 };
    for (let index = 0; index < 3; index++) expect((await post(batch())).status).toBe(204);
    const limited = await post(batch());
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("59");
    expect((await post({ ...batch(), clientId: "another-browser" })).status).toBe(204);
  });

  it("limits a shop's batches per minute, counting only those it accepts", async () => {
    options = { limits: pixelLimits(60, 2), now: () => 1_000 };
    expect((await post({ ...batch(), pixelKey: "wrong" })).status).toBe(403);
    expect((await post(batch())).status).toBe(204);
    expect((await post({ ...batch(), clientId: "b" })).status).toBe(204);
    const limited = await post({ ...batch(), clientId: "c" });
    expect(limited.status).toBe(429);
    expect((await errorOf(limited)).detail).toBe("too many batches for this shop");
  });

  it("drops a crawler's batch without storing it", async () => {
    const answer = await post(batch(), {
      userAgent: "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    });
    expect(answer.status).toBe(204);
    expect(await stored()).toBe(0);
  });
});

describe("tenant isolation", () => {
  it("a batch naming one shop with another shop's key is refused; each shop's events reach only its own Klaviyo account", async () => {
    const other = await seedShop({
      domain: "other-shop.myshopify.com",
      connected: "KOTHER1",
      goLive: true,
      events: STOREFRONT,
    });
    const otherKey = await pixelKeyFor(other.id);
    expect(otherKey).not.toBe(pixelKey);
    expect(
      (await post(pixelBatch({ shop: SHOP, pixelKey: otherKey, events: [standardEvent("page_viewed", SHOP)] }))).status,
    ).toBe(403);

    await deliver(pixelBatch({ shop: SHOP, pixelKey, events: [standardEvent("product_viewed", SHOP)] }));
    await deliver(
      pixelBatch({
        shop: "other-shop.myshopify.com",
        pixelKey: otherKey,
        clientId: "other-browser",
        events: [standardEvent("product_viewed", "other-shop.myshopify.com", { id: "other-event" })],
      }),
    );
    const byAccount = Object.fromEntries(
      double.state.events.map((event) => [event.accountId, event.profile.anonymous_id]),
    );
    expect(byAccount).toEqual({ [double.state.accounts[0].id]: SAMPLE_CLIENT_ID, KOTHER1: "other-browser" });
    expect(await prisma.trackingEvent.count({ where: { shopId } })).toBe(1);
    expect(await prisma.trackingEvent.count({ where: { shopId: other.id } })).toBe(1);
  });
});
