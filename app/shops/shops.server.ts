import { prisma } from "../db.server";
import { log } from "../log.server";
import { SHOP_IDENTITY, type ShopIdentity } from "./shop-identity";

/** Called after Shopify grants access: (re)activates the shop, keeping its settings. */
export async function recordInstall(domain: string) {
  const shop = await prisma.shop.upsert({
    where: { domain },
    create: { domain, name: shopNameFromDomain(domain) },
    update: { uninstalledAt: null, installedAt: new Date() },
  });
  log.info("shop installed", { shop: domain });
  return shop;
}

/**
 * The shop an authenticated admin request acts for. A valid session implies an install,
 * so a missing or uninstalled row is (re)created rather than refused.
 */
export async function requireInstalledShop(domain: string) {
  const existing = await prisma.shop.findUnique({ where: { domain } });
  if (existing && !existing.uninstalledAt) return existing;
  return recordInstall(domain);
}

export function shopNameFromDomain(domain: string): string {
  const handle = domain.replace(/\.myshopify\.(com|io)$/, "");
  return handle
    .split(/[-_]/)
    .filter(Boolean)
    .map((word) => word[0].toUpperCase() + word.slice(1))
    .join(" ");
}

/** Klaviyo accepted a test event from the merchant: the dashboard's checklist step is done. */
export async function markTestEventAccepted(shopId: string, at: Date) {
  await prisma.shop.update({ where: { id: shopId }, data: { testEventAcceptedAt: at } });
}

/** The shop a stage works for, by id; undefined once it is gone. */
export async function shopIdentity(shopId: string): Promise<ShopIdentity | undefined> {
  return (await prisma.shop.findUnique({ where: { id: shopId }, select: SHOP_IDENTITY })) ?? undefined;
}
