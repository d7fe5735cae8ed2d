import type { PrismaClient } from "@prisma/client";
import { embeddedUrl, mintSessionToken } from "../../app/demo/session-token.server";
import { BROWSER_USER_AGENT, TEST_API_KEY, TEST_API_SECRET } from "./test-config";

/** Leaves the shop as Shopify's install would: an offline session that does not expire. */
export async function seedInstalledShop(prisma: PrismaClient, shop: string, name = shop) {
  await prisma.session.upsert({
    where: { id: `offline_${shop}` },
    create: {
      id: `offline_${shop}`,
      shop,
      state: "",
      isOnline: false,
      scope: "read_orders",
      accessToken: `shpat_${shop}`,
    },
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

/**
 * A request from the shop's embedded admin to an admin route: a data request, or a form post
 * when `form` is given (a list value posts the key once per item).
 */
export async function adminRequest(shop: string, path: string, form?: Record<string, string | string[]>) {
  const { token } = await mintTestSessionToken(shop);
  const headers = { Authorization: `Bearer ${token}`, "User-Agent": BROWSER_USER_AGENT };
  if (!form) return new Request(`https://waypost.test${path}`, { headers });
  const body = new URLSearchParams();
  for (const [key, value] of Object.entries(form)) for (const item of [value].flat()) body.append(key, item);
  return new Request(`https://waypost.test${path}`, { method: "POST", headers, body });
}

/** The URL the admin opens an embedded page at, with a fresh session token. */
export async function embeddedPageUrl(path: string, shop: string) {
  const { token } = await mintTestSessionToken(shop, { ttlSeconds: 600 });
  return embeddedUrl(path, shop, token);
}
