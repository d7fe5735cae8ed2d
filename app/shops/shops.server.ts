import { prisma } from "../db.server";
import { log } from "../log.server";
import { syncStorefrontPixel } from "../platform/storefront-pixel.server";
import { refreshShopFacts } from "./shop-facts.server";
import { SHOP_IDENTITY, type ShopIdentity } from "./shop-identity";

// An admin page waits this long for Shopify's answer about the store before it renders without it.
const FACTS_WAIT_IN_REQUEST_MS = 5000;

/**
 * Called after Shopify grants access: (re)activates the shop, keeping its settings, then reads
 * the store's facts from the Admin API and activates its storefront pixel with the events kept
 * for it (none on a first install). Until the facts are read the shop is named by its
 * myshopify domain (Shopify's own name for it, not a guess) and pages say so.
 */
export async function recordInstall(
  domain: string,
  { accessToken, grantedScopes }: { accessToken?: string; grantedScopes?: string } = {},
) {
  const shop = await prisma.shop.upsert({
    where: { domain },
    create: { domain, name: domain },
    update: { uninstalledAt: null, installedAt: new Date() },
  });
  log.info("shop installed", { shop: domain });
  const facts = await refreshShopFacts(domain, { accessToken });
  // The pixel's outcome is kept for Integrations to show; an install never fails for it.
  await syncStorefrontPixel(domain, undefined, { accessToken, grantedScopes }).catch((error: unknown) =>
    log.error("storefront pixel not synced", { shop: domain, error: String(error) }),
  );
  return facts.ok ? prisma.shop.findUniqueOrThrow({ where: { id: shop.id } }) : shop;
}

/**
 * The shop an authenticated admin request acts for. A valid session implies an install,
 * so a missing or uninstalled row is (re)created rather than refused; a shop whose facts were
 * never read has them read now (the background retry covers a Shopify that does not answer).
 */
export async function requireInstalledShop(domain: string) {
  const existing = await prisma.shop.findUnique({ where: { domain } });
  if (!existing || existing.uninstalledAt) return recordInstall(domain);
  if (existing.factsReadAt) return existing;
  const facts = await refreshShopFacts(domain, { timeoutMs: FACTS_WAIT_IN_REQUEST_MS });
  return facts.ok ? prisma.shop.findUniqueOrThrow({ where: { id: existing.id } }) : existing;
}

/** Klaviyo accepted a test event from the merchant: the dashboard's checklist step is done. */
export async function markTestEventAccepted(shopId: string, at: Date) {
  await prisma.shop.update({ where: { id: shopId }, data: { testEventAcceptedAt: at } });
}

/** The shop a stage works for, by id; undefined once it is gone. */
export async function shopIdentity(shopId: string): Promise<ShopIdentity | undefined> {
  return (await prisma.shop.findUnique({ where: { id: shopId }, select: SHOP_IDENTITY })) ?? undefined;
}
