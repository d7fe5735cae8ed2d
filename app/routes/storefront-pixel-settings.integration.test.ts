import { beforeEach, describe, expect, it } from "vitest";
import { adminRequest } from "../../e2e/support/admin-session";
import { resetDatabase, seedShop, useShopifyAdminDouble } from "../../e2e/support/integration";
import { TEST_SHOP } from "../../e2e/support/test-config";
import { prisma } from "../db.server";
import { recordInstall } from "../shops/shops.server";
import * as trackSettings from "./app.track-settings";

const shopify = useShopifyAdminDouble();
const PIXEL_SCOPES = "read_orders,read_customers,write_pixels,read_customer_events";

beforeEach(async () => {
  await resetDatabase();
  shopify.state.store.webPixel = null;
  shopify.state.queries.length = 0;
  await seedShop({ domain: TEST_SHOP });
  await prisma.session.update({ where: { id: `offline_${TEST_SHOP}` }, data: { scope: PIXEL_SCOPES } });
});

const pixelOperations = () =>
  shopify.state.queries.map((query) => query.operationName).filter((name) => name?.startsWith("WaypostWebPixel"));
const pixelEvents = () => JSON.parse(shopify.state.store.webPixel!.settings).events as string;
const saveSettings = async (enabledEvents: string[]) =>
  trackSettings.action({
    request: await adminRequest(TEST_SHOP, "/app/track-settings", { goLive: "on", enabledEvents }),
    params: {},
    context: {},
  });

describe("Track Settings' storefront toggles", { timeout: 120_000 }, () => {
  it("set the pixel's events at Shopify when they change, and ask nothing when they do not", async () => {
    await recordInstall(TEST_SHOP, { grantedScopes: PIXEL_SCOPES });
    await saveSettings(["placed_order", "viewed_product", "started_checkout"]);
    expect(pixelEvents()).toBe("product_viewed,checkout_started");
    expect(pixelOperations()).toEqual(["WaypostWebPixelCreate", "WaypostWebPixelUpdate"]);

    // Order events change, the storefront ones stay: the pixel's settings stand as they are.
    await saveSettings(["placed_order", "order_shipped", "viewed_product", "started_checkout"]);
    expect(pixelOperations()).toEqual(["WaypostWebPixelCreate", "WaypostWebPixelUpdate"]);

    await saveSettings(["placed_order"]);
    expect(pixelEvents()).toBe("");
    expect(await prisma.storefrontPixel.findFirstOrThrow()).toMatchObject({ enabledEvents: "", status: "connected" });
  });
});
