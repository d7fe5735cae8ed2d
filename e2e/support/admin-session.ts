import type { PrismaClient } from "@prisma/client";
import { embeddedUrl, mintSessionToken } from "../../app/demo/session-token.server";
import { BROWSER_USER_AGENT, TEST_API_KEY, TEST_API_SECRET } from "./test-config";

/** Leaves the shop as Shopify's install would: an offline session that does not expire. */
export async function seedInstalledShop(prisma: PrismaClient, shop: string, name = shop) {
  await prisma.session.upsert({
    where: { id: `offline_${shop}` },
    create: { id: `offline_${shop}`, shop, state: "", isOnline: false, scope: "read_orders", accessToken: `shpat_${shop}` },
    update: { expires: null },
  });
  return prisma.shop.upsert({
    where: { domain: shop },
    create: { domain: shop, name },
    update: { uninstalledAt: null },
  });
}

export function mintTestSessionToken(shop: string, overrides: Partial<Parameters<typeof mintSessionToken>[0]> = {}) {
  return mintSessionToken({ shop, apiKey: TEST_API_KEY, secret: TEST_API_SECRET, ...overrides });
}

/** A fetch from inside the embedded admin: App Bridge adds the session token as a Bearer. */
export async function adminDataRequest(url: string, shop: string, overrides = {}) {
  const { token } = await mintTestSessionToken(shop, overrides);
  return new Request(url, { headers: { Authorization: `Bearer ${token}`, "User-Agent": BROWSER_USER_AGENT } });
}

/** The URL the admin opens an embedded page at, with a fresh session token. */
export async function embeddedPageUrl(path: string, shop: string) {
  const { token } = await mintTestSessionToken(shop, { ttlSeconds: 600 });
  return embeddedUrl(path, shop, token);
}
