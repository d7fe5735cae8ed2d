import { json } from "@remix-run/node";
import { prisma } from "../db.server";
import { env } from "../env.server";
import { log } from "../log.server";
import { syncStorefrontPixel } from "../platform/storefront-pixel.server";
import { sealedForStorage } from "../platform/sealed-sessions.server";
import { mintSessionToken } from "./session-token.server";

export const DEMO_SHOP = "waypost-demo.myshopify.com";
/** The demo store as the demo's Admin API stand-in describes it (the shop row learns it as a real install does). */
export const DEMO_STORE = { domain: DEMO_SHOP, name: "Waypost Demo Store", timezone: "America/New_York" };
const SHOPIFY_APP_BRIDGE_URL = "https://cdn.shopify.com/shopifycloud/app-bridge.js";

export function appBridgeScriptUrl(): string {
  return env.demo ? "/demo/app-bridge.js" : SHOPIFY_APP_BRIDGE_URL;
}

export interface RequestOrigin {
  remoteAddress?: string;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;
// Headers a proxy or tunnel adds: behind one, every client looks like this machine.
const PROXY_HEADERS = ["forwarded", "x-forwarded-for", "x-forwarded-host", "x-real-ip"];

/**
 * The demo's sign-in shortcut bypasses Shopify, so it answers only in demo mode (which cannot
 * coexist with real credentials) and only to this machine: from loopback, not through a proxy,
 * and addressed to this machine by name (a page whose own name resolves here, DNS rebinding, is not).
 */
export function assertDemoRequestAllowed(
  request: Request,
  origin: RequestOrigin | undefined,
  options: { demo?: boolean; port?: number } = {},
) {
  if (!(options.demo ?? env.demo)) throw json({ error: "Not found" }, { status: 404 });
  const port = options.port ?? env.port;
  const host = request.headers.get("host");
  const localHosts = [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`];
  if (
    !origin?.remoteAddress ||
    !LOOPBACK.test(origin.remoteAddress) ||
    PROXY_HEADERS.some((name) => request.headers.has(name)) ||
    !host ||
    !localHosts.includes(host.toLowerCase())
  ) {
    throw json({ error: "The demo sign-in only answers requests from this machine." }, { status: 403 });
  }
}

export function mintDemoSessionToken() {
  return mintSessionToken({
    shop: DEMO_SHOP,
    apiKey: env.shopifyApiKey,
    secret: env.shopifyApiSecret,
    ttlSeconds: 300,
  });
}

/** Seeds the demo store: a shop row and an offline session, as a real install would leave. */
export async function ensureDemoShop() {
  await prisma.session.upsert({
    where: { id: `offline_${DEMO_SHOP}` },
    create: {
      id: `offline_${DEMO_SHOP}`,
      shop: DEMO_SHOP,
      state: "",
      isOnline: false,
      scope: env.scopes.join(","),
      accessToken: sealedForStorage(`offline_${DEMO_SHOP}`, "demo-offline-access-token"),
    },
    update: { scope: env.scopes.join(","), expires: null },
  });
  await prisma.shop.upsert({
    where: { domain: DEMO_SHOP },
    create: { domain: DEMO_SHOP, name: DEMO_STORE.name, timezone: DEMO_STORE.timezone },
    update: { uninstalledAt: null },
  });
  log.info("demo shop ready", { shop: DEMO_SHOP });
  // The demo's storefront pixel, at its Admin API stand-in, as an install activates it; in the
  // background: the stand-in builds Shopify's schema on its first request.
  void syncStorefrontPixel(DEMO_SHOP).catch((error: unknown) =>
    log.warn("demo storefront pixel not synced", { error: String(error) }),
  );
}
