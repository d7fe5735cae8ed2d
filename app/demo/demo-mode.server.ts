import { json } from "@remix-run/node";
import { prisma } from "../db.server";
import { env } from "../env.server";
import { log } from "../log.server";
import { sealedForStorage } from "../platform/sealed-sessions.server";
import { mintSessionToken } from "./session-token.server";

export const DEMO_SHOP = "waypost-demo.myshopify.com";
const SHOPIFY_APP_BRIDGE_URL = "https://cdn.shopify.com/shopifycloud/app-bridge.js";

export function appBridgeScriptUrl(): string {
  return env.demo ? "/demo/app-bridge.js" : SHOPIFY_APP_BRIDGE_URL;
}

export interface RequestOrigin {
  remoteAddress?: string;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

/**
 * The demo's sign-in shortcut bypasses Shopify, so it answers only in demo mode (which cannot
 * coexist with real credentials) and only to this machine.
 */
export function assertDemoRequestAllowed(origin: RequestOrigin | undefined, demo = env.demo) {
  if (!demo) throw json({ error: "Not found" }, { status: 404 });
  if (!origin?.remoteAddress || !LOOPBACK.test(origin.remoteAddress)) {
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
    create: { domain: DEMO_SHOP, name: "Waypost Demo Store", timezone: "America/New_York" },
    update: { uninstalledAt: null },
  });
  log.info("demo shop ready", { shop: DEMO_SHOP });
}
