import { prisma } from "../db.server";
import { grantedScopes } from "../platform/app-lifecycle.server";
import { STORE_CREDIT_SCOPE } from "../platform/store-credit";

/** Store credit on profiles: whether the merchant turned it on, and whether Shopify lets Waypost read it. */
export interface StoreCreditSetting {
  enabled: boolean;
  scopeGranted: boolean;
}

export async function storeCreditSettingFor(shop: { id: string; domain: string }): Promise<StoreCreditSetting> {
  const [row, scopes] = await Promise.all([
    prisma.shop.findUniqueOrThrow({ where: { id: shop.id }, select: { storeCreditSyncOnAt: true } }),
    grantedScopes(shop.domain),
  ]);
  return { enabled: row.storeCreditSyncOnAt !== null, scopeGranted: scopes.has(STORE_CREDIT_SCOPE) };
}

/** Turns store credit on profiles on or off; turning it on again keeps when it was first turned on. */
export async function saveStoreCreditSync(shopId: string, enabled: boolean, now = new Date()) {
  await prisma.shop.updateMany({
    where: { id: shopId, ...(enabled ? { storeCreditSyncOnAt: null } : {}) },
    data: { storeCreditSyncOnAt: enabled ? now : null },
  });
}
