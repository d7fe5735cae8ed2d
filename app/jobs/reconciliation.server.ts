import { prisma } from "../db.server";
import { errorSummary, log } from "../log.server";
import { adminApiForShop, waitForCostMs } from "../platform/admin-graphql.server";
import { historySearch } from "../platform/order-history";
import { readOrdersPage } from "../platform/order-reader.server";
import { SHOP_IDENTITY, type ShopIdentity } from "../shops/shop-identity";
import { DAY_MS } from "../time";
import { LIVE, recordFound } from "./event-outbox.server";
import { observeAsLive } from "./order-repair.server";

/**
 * Missed webhooks recovered: Shopify does not promise to deliver every webhook, so each
 * installed shop's orders updated since its last successful check are read through the history
 * import's reader and observed as live traffic is (same detection, same unique keys: an event a
 * webhook or an import already recorded is not recorded again). One 1-point count when nothing
 * changed. Its queries draw on the same Shopify bucket as the shop's history import and repairs;
 * it reads each answer's throttle status and stops rather than queue behind a drained bucket.
 */

/** Re-read before the last check's start: Shopify's clock may run behind ours, and its search index lags a little. */
export const CHECK_OVERLAP_MS = 5 * 60_000;
/** A shop's first check looks back this far at most (since install, if later). */
export const FIRST_CHECK_LOOKBACK_MS = DAY_MS;
/** A check that would wait longer than this for Shopify's bucket stops and goes on at the next run. */
const LONGEST_BUDGET_WAIT_MS = 10_000;

export type CheckResult =
  | { checked: true; ordersRead: number; recovered: number }
  | { checked: false; reason: string; ordersRead: number; recovered: number };

/** Every installed shop, one after another (a shop's trouble never stops the others' checks). */
export async function reconcileShops(now = new Date()) {
  const shops = await prisma.shop.findMany({
    where: { uninstalledAt: null },
    select: { ...SHOP_IDENTITY, installedAt: true },
    orderBy: { installedAt: "asc" },
  });
  let recovered = 0;
  for (const shop of shops) {
    try {
      const result = await reconcileShop(shop, now);
      recovered += result.recovered;
    } catch (error) {
      log.error("reconciliation failed", { shop: shop.domain, error: errorSummary(error) });
      await noteFailure(shop.id, errorSummary(error));
    }
  }
  return { shops: shops.length, recovered };
}

/** One shop's check: the orders Shopify says changed since the last one, observed as live. */
export async function reconcileShop(
  shop: ShopIdentity & { installedAt: Date },
  now = new Date(),
): Promise<CheckResult> {
  const api = await adminApiForShop(shop.domain);
  if (!api) return { checked: false, reason: "Waypost holds no access to the store", ordersRead: 0, recovered: 0 };
  const state = await prisma.shopReconciliation.findUnique({ where: { shopId: shop.id } });
  const since =
    state?.checkedThrough ?? new Date(Math.max(shop.installedAt.getTime(), now.getTime() - FIRST_CHECK_LOOKBACK_MS));
  const search = historySearch(since);
  // The next check starts here once this one finishes; never before where this one started.
  const through = new Date(Math.max(since.getTime(), now.getTime() - CHECK_OVERLAP_MS));

  const changed = await api.countOrders(search);
  if (!changed.ok) return stopped(shop.id, since, changed.detail, { ordersRead: 0, recovered: 0 });
  let ordersRead = 0;
  let recovered = 0;
  let progress = since;
  let after: string | null = null;
  for (let more = changed.data > 0; more;) {
    const page = await readOrdersPage(api, search, after);
    if (!page.ok) return stopped(shop.id, progress, page.detail, { ordersRead, recovered });
    for (const order of page.data.orders) {
      const found = await observeAsLive(shop, order, { installedAt: shop.installedAt, now });
      recovered += (await recordFound(shop, found, LIVE, now)).recorded;
      // Oldest change first: every order changed before this one has been observed.
      progress = new Date(Math.min(through.getTime(), Math.max(progress.getTime(), Date.parse(order.updatedAt))));
    }
    ordersRead += page.data.orders.length;
    after = page.data.endCursor;
    more = page.data.hasNextPage;
    const waitMs = more ? waitForCostMs(page.throttle, page.requestedCost ?? 0) : 0;
    if (waitMs > LONGEST_BUDGET_WAIT_MS)
      return stopped(shop.id, progress, "Shopify's API budget is used up for now", { ordersRead, recovered });
    if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs));
  }

  await saveCheck(shop.id, { checkedThrough: through, lastCheckedAt: now, recovered, lastError: null });
  if (recovered) log.info("reconciliation recovered missed updates", { shop: shop.domain, ordersRead, recovered });
  return { checked: true, ordersRead, recovered };
}

/** A check Shopify cut short: what it observed is kept, and the next run goes on from there. */
async function stopped(
  shopId: string,
  progress: Date,
  reason: string,
  counts: { ordersRead: number; recovered: number },
): Promise<CheckResult> {
  await saveCheck(shopId, {
    checkedThrough: progress,
    lastCheckedAt: null,
    recovered: counts.recovered,
    lastError: reason,
  });
  return { checked: false, reason, ...counts };
}

async function saveCheck(
  shopId: string,
  {
    checkedThrough,
    lastCheckedAt,
    recovered,
    lastError,
  }: { checkedThrough: Date; lastCheckedAt: Date | null; recovered: number; lastError: string | null },
) {
  await prisma.shopReconciliation.upsert({
    where: { shopId },
    create: { shopId, checkedThrough, lastCheckedAt, recoveredEvents: recovered, lastError },
    update: {
      checkedThrough,
      ...(lastCheckedAt ? { lastCheckedAt } : {}),
      recoveredEvents: { increment: recovered },
      lastError,
    },
  });
}

async function noteFailure(shopId: string, lastError: string) {
  await prisma.shopReconciliation.updateMany({ where: { shopId }, data: { lastError: lastError.slice(0, 2000) } });
}

/** What the Dashboard says about the checks: when Waypost last checked with Shopify, and what that recovered. */
export interface ReconciliationView {
  lastCheckedAt: string | null;
  recoveredEvents: number;
  lastError: string | null;
}

export async function reconciliationView(shopId: string): Promise<ReconciliationView> {
  const state = await prisma.shopReconciliation.findUnique({ where: { shopId } });
  return {
    lastCheckedAt: state?.lastCheckedAt?.toISOString() ?? null,
    recoveredEvents: state?.recoveredEvents ?? 0,
    lastError: state?.lastError ?? null,
  };
}
