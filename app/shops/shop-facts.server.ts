import { prisma } from "../db.server";
import { log } from "../log.server";
import { adminApiForShop, adminApiWithToken, type ShopifyAdminApi } from "../platform/admin-graphql.server";
import { SHOP_FACTS_QUERY, shopFactsOf, type ShopFacts, type ShopFactsAnswer } from "./shop-facts";

export type FactsRead = { ok: true; facts: ShopFacts } | { ok: false; reason: string; noAccess?: boolean };

/**
 * Reads the store's facts from the Admin API and keeps them (name, time zone, currency, country,
 * primary domain, contact email, and when they were read). When Shopify cannot be reached the
 * shop keeps what it had, and `readMissingShopFacts` tries again in the background.
 */
export async function refreshShopFacts(
  domain: string,
  { accessToken, timeoutMs }: { accessToken?: string; timeoutMs?: number } = {},
): Promise<FactsRead> {
  const api: ShopifyAdminApi | undefined = accessToken
    ? adminApiWithToken(domain, accessToken, { timeoutMs })
    : await adminApiForShop(domain, { timeoutMs });
  if (!api) return { ok: false, reason: "Waypost holds no access token for this store", noAccess: true };
  const outcome = await api.query<ShopFactsAnswer>(SHOP_FACTS_QUERY, {});
  if (!outcome.ok) {
    log.warn("store details not read", { shop: domain, reason: outcome.detail });
    return { ok: false, reason: outcome.detail, noAccess: outcome.kind === "unauthorized" };
  }
  const read = shopFactsOf(outcome.data);
  if (!read.ok) {
    log.warn("store details not usable", { shop: domain, reason: read.reason });
    return read;
  }
  await prisma.shop.updateMany({ where: { domain }, data: { ...read.facts, factsReadAt: new Date() } });
  log.info("store details read", { shop: domain, timezone: read.facts.timezone, currency: read.facts.currency });
  return read;
}

/** The background retry: every installed shop whose facts are not read yet is asked about again. */
export async function readMissingShopFacts(): Promise<number> {
  const waiting = await prisma.shop.findMany({
    where: { factsReadAt: null, uninstalledAt: null },
    select: { domain: true },
    orderBy: { installedAt: "asc" },
    take: 50,
  });
  let read = 0;
  for (const shop of waiting) if ((await refreshShopFacts(shop.domain)).ok) read++;
  return read;
}
