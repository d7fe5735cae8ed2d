import { prisma } from "../db.server";
import { log } from "../log.server";
import { adminApiForShop, waitForCostMs } from "../platform/admin-graphql.server";
import { MOST_CUSTOMERS_PER_READ, type StoreCreditBalance } from "../platform/store-credit";
import { readStoreCredit } from "../platform/store-credit.server";
import { storeCreditSettingFor } from "../settings/store-credit.server";
import { DAY_MS } from "../time";

/** Past this, an order's profile goes with the balance last read rather than wait for Shopify. */
export const STORE_CREDIT_LOOKUP_TIMEOUT_MS = 2000;
/** Between orders, a customer's balance is read again once it is this old: at most daily. */
export const STORE_CREDIT_KEPT_MS = DAY_MS;
/** A refresh that would wait longer than this for Shopify's bucket stops and goes on at the next run. */
const LONGEST_BUDGET_WAIT_MS = 10_000;

/** The balances a profile carries, and whether they were just read (else: as last read). */
export interface StoreCreditAnswer {
  balances: StoreCreditBalance[];
  currency: string | null;
  readNow: boolean;
}

/**
 * A customer's store credit for the profile an order of theirs brings: read from Shopify now
 * (the shop's bucket, a 2 s limit), else the balances last read. Undefined while the merchant has
 * it off, the scope is not granted, or Shopify has never answered for this customer.
 */
export async function storeCreditOnOrder(
  shopId: string,
  customerId: string | null,
  lastRead: string | null,
): Promise<StoreCreditAnswer | undefined> {
  if (!customerId) return undefined;
  const shop = await prisma.shop.findUnique({ where: { id: shopId }, select: { domain: true, currency: true } });
  if (!shop) return undefined;
  const setting = await storeCreditSettingFor({ id: shopId, domain: shop.domain });
  if (!setting.enabled || !setting.scopeGranted) return undefined;
  const api = await adminApiForShop(shop.domain, { timeoutMs: STORE_CREDIT_LOOKUP_TIMEOUT_MS });
  const outcome = api ? await readStoreCredit(api, [customerId]) : undefined;
  if (outcome?.ok) return { balances: outcome.data.get(customerId) ?? [], currency: shop.currency, readNow: true };
  if (outcome)
    log.warn("store credit not read: the profile keeps the last balance", {
      shop: shop.domain,
      reason: outcome.detail,
    });
  return lastRead ? { balances: JSON.parse(lastRead), currency: shop.currency, readNow: false } : undefined;
}

export type StoreCreditRequeue = (
  profile: { id: string; attributes: string; sentAttributes: string | null; status: string },
  answer: StoreCreditAnswer,
  now: Date,
) => Promise<boolean>;

/**
 * The daily refresh: for each shop with store credit on and the scope granted, the customers
 * whose balance was last read a day ago or more are read again in batches (one `nodes(ids:)`
 * document each, paced by Shopify's throttle status), and a profile whose balance changed is
 * queued. Returns how many balances were read and how many profiles were queued.
 */
export async function refreshStoreCredit(requeue: StoreCreditRequeue, now = new Date()) {
  const shops = await prisma.shop.findMany({
    where: { uninstalledAt: null, storeCreditSyncOnAt: { not: null } },
    select: { id: true, domain: true, currency: true },
  });
  let read = 0;
  let queued = 0;
  for (const shop of shops) {
    if (!(await storeCreditSettingFor(shop)).scopeGranted) continue;
    const api = await adminApiForShop(shop.domain);
    if (!api) continue;
    const stale = new Date(now.getTime() - STORE_CREDIT_KEPT_MS);
    for (;;) {
      const profiles = await prisma.customerProfile.findMany({
        where: {
          shopId: shop.id,
          shopifyCustomerId: { not: null },
          OR: [{ storeCreditReadAt: null }, { storeCreditReadAt: { lte: stale } }],
        },
        select: { id: true, shopifyCustomerId: true, attributes: true, sentAttributes: true, status: true },
        orderBy: { storeCreditReadAt: "asc" },
        take: MOST_CUSTOMERS_PER_READ,
      });
      if (profiles.length === 0) break;
      const outcome = await readStoreCredit(
        api,
        profiles.map((profile) => profile.shopifyCustomerId!),
      );
      if (!outcome.ok) {
        if (outcome.kind === "throttled" && outcome.waitMs <= LONGEST_BUDGET_WAIT_MS) {
          await new Promise((resolve) => setTimeout(resolve, outcome.waitMs));
          continue;
        }
        log.warn("store credit refresh stopped", { shop: shop.domain, reason: outcome.detail });
        break;
      }
      for (const profile of profiles) {
        const balances = outcome.data.get(profile.shopifyCustomerId!) ?? [];
        read++;
        if (await requeue(profile, { balances, currency: shop.currency, readNow: true }, now)) queued++;
      }
      const waitMs = waitForCostMs(outcome.throttle, outcome.requestedCost ?? 0);
      if (waitMs > LONGEST_BUDGET_WAIT_MS) break;
      if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
  }
  return { shops: shops.length, read, queued };
}
