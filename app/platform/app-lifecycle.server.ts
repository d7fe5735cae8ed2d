import { prisma } from "../db.server";
import { log } from "../log.server";
import { adminApiForShop } from "./admin-graphql.server";
import { ShopifyUnavailable } from "./shopify-unavailable";

/**
 * Asks Shopify whether the app is still installed on the shop: its offline token works only
 * while it is. Webhook headers are not signed, so this is what stands between a replayed body
 * and an uninstall or erasure of another shop. Throws when Shopify cannot answer now.
 */
export async function installationAtShopify(domain: string): Promise<"installed" | "uninstalled"> {
  const api = await adminApiForShop(domain);
  if (!api) return "uninstalled";
  const outcome = await api.confirmAccess();
  if (outcome.ok) return "installed";
  if (outcome.kind === "unauthorized") return "uninstalled";
  throw new ShopifyUnavailable(`could not confirm with Shopify whether ${domain} is installed: ${outcome.detail}`);
}

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

/** The scopes the merchant has granted Waypost, as the shop's offline session holds them (app/scopes_update keeps them current). */
export async function grantedScopes(domain: string): Promise<Set<string>> {
  const session = await prisma.session.findUnique({ where: { id: `offline_${domain}` }, select: { scope: true } });
  return new Set(
    (session?.scope ?? "")
      .split(",")
      .map((scope) => scope.trim())
      .filter(Boolean),
  );
}
