import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { resetDatabase, seedShop, useShopifyAdminDouble } from "../../e2e/support/integration";
import { OTHER_SHOP, TEST_SHOP } from "../../e2e/support/test-config";
import { prisma } from "../db.server";
import { env } from "../env.server";
import { recordInstall } from "../shops/shops.server";
import { storefrontPixelView, syncStorefrontPixel } from "./storefront-pixel.server";

const shopify = useShopifyAdminDouble();
const PIXEL_SCOPES = "read_orders,read_customers,write_pixels,read_customer_events";

beforeAll(async () => {
  // The stand-in builds Shopify's schema on its first request: seconds on a busy machine.
  await seedShop({ domain: TEST_SHOP });
  await syncStorefrontPixel(TEST_SHOP, [], { grantedScopes: PIXEL_SCOPES });
}, 120_000);

beforeEach(async () => {
  await resetDatabase();
  shopify.state.store.webPixel = null;
  shopify.state.store.grantedScopes = undefined;
  shopify.state.queries.length = 0;
  for (const domain of [TEST_SHOP, OTHER_SHOP]) {
    await seedShop({ domain });
    await prisma.session.update({ where: { id: `offline_${domain}` }, data: { scope: PIXEL_SCOPES } });
  }
});

const operations = () => shopify.state.queries.map((query) => query.operationName);
const pixelSettings = () => JSON.parse(shopify.state.store.webPixel!.settings);
const pixelRow = (domain = TEST_SHOP) => prisma.storefrontPixel.findFirstOrThrow({ where: { shop: { domain } } });
const pixelKeyOf = async (domain = TEST_SHOP) =>
  (await prisma.shop.findUniqueOrThrow({ where: { domain }, select: { pixelKey: true } })).pixelKey;

describe("syncStorefrontPixel", () => {
  it("creates the shop's web pixel with the ingest URL, the shop's public pixel key and the enabled events", async () => {
    const view = await syncStorefrontPixel(TEST_SHOP, ["product_viewed", "page_viewed", "not_an_event"]);
    expect(view).toMatchObject({ status: "connected", detail: null, enabledEvents: ["page_viewed", "product_viewed"] });
    expect(operations()).toEqual(["WaypostWebPixelCreate"]);
    expect((await pixelRow()).webPixelId).toBe(shopify.state.store.webPixel!.id);
    // The key the ingest checks (Shop.pixelKey), made on first use.
    const pixelKey = await pixelKeyOf();
    expect(pixelKey).toMatch(/^wpx_[\w-]{24}$/);
    expect(pixelSettings()).toEqual({
      ingestUrl: `${env.appUrl}/pixel/events`,
      pixelKey,
      events: "page_viewed,product_viewed",
    });
  });

  it("updates the same pixel when the toggles change, keeping its key", async () => {
    await syncStorefrontPixel(TEST_SHOP, ["page_viewed"]);
    const { webPixelId } = await pixelRow();
    const pixelKey = await pixelKeyOf();
    const view = await syncStorefrontPixel(TEST_SHOP, ["checkout_started", "logged_in"]);
    expect(view.status).toBe("connected");
    expect(operations()).toEqual(["WaypostWebPixelCreate", "WaypostWebPixelUpdate"]);
    expect(await pixelRow()).toMatchObject({ webPixelId, enabledEvents: "checkout_started,logged_in" });
    expect(await pixelKeyOf()).toBe(pixelKey);
    expect(pixelSettings()).toMatchObject({ pixelKey, events: "checkout_started,logged_in" });
  });

  it("creates a new pixel when Shopify no longer has the kept one (after a reinstall)", async () => {
    await syncStorefrontPixel(TEST_SHOP, ["page_viewed"]);
    shopify.state.store.webPixel = null;
    const view = await syncStorefrontPixel(TEST_SHOP);
    expect(view).toMatchObject({ status: "connected", enabledEvents: ["page_viewed"] });
    expect(operations()).toEqual(["WaypostWebPixelCreate", "WaypostWebPixelUpdate", "WaypostWebPixelCreate"]);
    expect((await pixelRow()).webPixelId).toBe(shopify.state.store.webPixel!.id);
  });

  it("adopts the app's pixel Shopify already has when Waypost kept no id for it", async () => {
    shopify.state.store.webPixel = { id: "gid://shopify/WebPixel/900", settings: "{}" };
    const view = await syncStorefrontPixel(TEST_SHOP, ["page_viewed"]);
    expect(view.status).toBe("connected");
    expect(operations()).toEqual(["WaypostWebPixelCreate", "WaypostWebPixel", "WaypostWebPixelUpdate"]);
    expect((await pixelRow()).webPixelId).toBe("gid://shopify/WebPixel/900");
    expect(pixelSettings().events).toBe("page_viewed");
  });

  it("says which permissions are missing, and asks Shopify nothing, when the session lacks the pixel scopes", async () => {
    await prisma.session.update({ where: { id: `offline_${TEST_SHOP}` }, data: { scope: "read_orders" } });
    const view = await syncStorefrontPixel(TEST_SHOP, ["page_viewed"]);
    expect(view.status).toBe("missing_scope");
    expect(view.detail).toContain("write_pixels and read_customer_events");
    expect(operations()).toEqual([]);
  });

  it("reports a missing permission when Shopify refuses the mutation for its scope", async () => {
    shopify.state.store.grantedScopes = ["read_orders"];
    const view = await syncStorefrontPixel(TEST_SHOP, ["page_viewed"]);
    expect(view.status).toBe("missing_scope");
    expect(shopify.state.store.webPixel).toBeNull();
  });

  it("keeps Shopify's reason when it cannot be reached, and connects on the next sync", async () => {
    shopify.state.failAfter = 0;
    try {
      const failed = await syncStorefrontPixel(TEST_SHOP, ["page_viewed"]);
      expect(failed).toMatchObject({ status: "failed", detail: "Shopify answered HTTP 503" });
    } finally {
      shopify.state.failAfter = undefined;
    }
    expect((await syncStorefrontPixel(TEST_SHOP)).status).toBe("connected");
    expect(await storefrontPixelView((await pixelRow()).shopId)).toMatchObject({
      status: "connected",
      enabledEvents: ["page_viewed"],
    });
  });

  it("activates the pixel on install, with no events until the merchant turns them on", async () => {
    await recordInstall(TEST_SHOP, { grantedScopes: PIXEL_SCOPES });
    expect(operations()).toContain("WaypostWebPixelCreate");
    expect(pixelSettings().events).toBe("");
    expect((await pixelRow()).status).toBe("connected");
  });
});

describe("the pixel key", () => {
  it("differs from shop to shop, each pixel carrying its own shop's", async () => {
    await syncStorefrontPixel(TEST_SHOP, ["page_viewed"]);
    const mine = pixelSettings().pixelKey;
    shopify.state.store.webPixel = null;
    await syncStorefrontPixel(OTHER_SHOP, ["page_viewed"]);
    expect(pixelSettings().pixelKey).toBe(await pixelKeyOf(OTHER_SHOP));
    expect(mine).toBe(await pixelKeyOf(TEST_SHOP));
    expect(mine).not.toBe(await pixelKeyOf(OTHER_SHOP));
  });
});
