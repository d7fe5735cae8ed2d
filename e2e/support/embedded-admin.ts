import type { Page } from "@playwright/test";
import { appBridgeShimSource } from "../../app/demo/app-bridge-shim";
import { mintTestSessionToken } from "./admin-session";

const APP_BRIDGE_CDN = "https://cdn.shopify.com/shopifycloud/app-bridge.js";
const TOKEN_PATH = "/__e2e/session-token";

/**
 * Plays Shopify's admin for a page: serves a local App Bridge in place of the CDN's (which is
 * unreachable offline) and hands it fresh session tokens for `shop`, as the admin would.
 */
export async function actAsEmbeddedAdmin(page: Page, shop: string) {
  await page.route(APP_BRIDGE_CDN, (route) =>
    route.fulfill({ contentType: "text/javascript", body: appBridgeShimSource(TOKEN_PATH) }),
  );
  await page.route(`**${TOKEN_PATH}`, async (route) =>
    route.fulfill({ contentType: "application/json", body: JSON.stringify(await mintTestSessionToken(shop)) }),
  );
}
