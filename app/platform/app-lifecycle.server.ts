import { prisma } from "../db.server";
import { log } from "../log.server";

/**
 * app/uninstalled, the platform's part: Shopify has revoked our access. Sessions go at once and
 * the shop's pending webhooks are ignored; settings stay so a reinstall picks up where the
 * merchant left off, until shop/redact (48 h later) erases everything. Returns the shop's id.
 */
export async function uninstallShop(domain: string, now = new Date()) {
  const shop = await prisma.shop.findUnique({ where: { domain }, select: { id: true } });
  await prisma.$transaction([
    prisma.session.deleteMany({ where: { shop: domain } }),
    prisma.shop.updateMany({ where: { domain }, data: { uninstalledAt: now, goLive: false } }),
    prisma.webhookReceipt.updateMany({
      where: { shopDomain: domain, status: { in: ["pending", "waiting"] }, topic: { not: "app/uninstalled" } },
      data: { status: "ignored", ignoredReason: "shop uninstalled Waypost" },
    }),
  ]);
  log.info("shop uninstalled", { shop: domain });
  return shop?.id;
}

/** app/scopes_update: keep stored sessions' scopes in step with what the merchant granted. */
export async function updateGrantedScopes(domain: string, scopes: string[]) {
  await prisma.session.updateMany({ where: { shop: domain }, data: { scope: scopes.join(",") } });
}
