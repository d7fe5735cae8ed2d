import type { Backfill } from "@prisma/client";
import { prisma } from "../../db.server";
import { env } from "../../env.server";
import { errorSummary, log } from "../../log.server";
import { adminApiForShop, waitForCostMs } from "../../platform/admin-graphql.server";
import { historySearch } from "../../platform/order-history";
import { readOrdersPage } from "../../platform/order-reader.server";
import { SHOP_IDENTITY, type ShopIdentity } from "../../shops/shop-identity";
import { OPEN_STATUSES } from "../../tracking/event-status";
import { eventsInHistory } from "../../tracking/history-events";
import { CANCEL_REASONS, cancelQueued } from "../event-queue/cancel.server";
import { recordFound } from "../event-outbox.server";
import { ACTIVE } from "./commands.server";

/**
 * One step of every running import whose turn has come: read the next page of orders, record
 * the events it shows (those already sent live are recognised by key and skipped), move the
 * checkpoint. A backfill is read by one worker at a time, under a lease; a restart resumes at
 * the checkpoint, and a page read twice records nothing twice.
 */
export async function readBackfillPages({
  owner,
  now = new Date(),
}: {
  owner: string;
  now?: Date;
}): Promise<{ read: number; nextPassInMs: number }> {
  const due = await prisma.backfill.findMany({
    where: {
      status: "running",
      readDone: false,
      nextReadAt: { lte: now },
      OR: [{ leaseExpiresAt: null }, { leaseExpiresAt: { lt: now } }],
    },
    include: { shop: { select: SHOP_IDENTITY } },
    take: 20,
  });
  let read = 0;
  for (const backfill of due) {
    const { count } = await prisma.backfill.updateMany({
      where: { id: backfill.id, status: "running", OR: [{ leaseExpiresAt: null }, { leaseExpiresAt: { lt: now } }] },
      data: { leaseOwner: owner, leaseExpiresAt: new Date(now.getTime() + env.workerLeaseMs) },
    });
    if (count === 0) continue;
    try {
      // Read again under the lease: another worker may have moved the checkpoint meanwhile.
      const held = await prisma.backfill.findUniqueOrThrow({ where: { id: backfill.id } });
      read += await readNextPage(held, backfill.shop, owner, now);
    } catch (error) {
      log.error("backfill page failed", { backfillId: backfill.id, error: errorSummary(error) });
      await prisma.backfill.updateMany({
        where: { id: backfill.id, leaseOwner: owner },
        data: { leaseOwner: null, leaseExpiresAt: null, nextReadAt: new Date(now.getTime() + 5000) },
      });
    }
  }
  await finishSentBackfills(now);
  const next = await prisma.backfill.findFirst({
    where: { status: "running", readDone: false },
    orderBy: { nextReadAt: "asc" },
    select: { nextReadAt: true },
  });
  return { read, nextPassInMs: next ? Math.max(0, next.nextReadAt.getTime() - Date.now()) : Number.POSITIVE_INFINITY };
}

async function readNextPage(backfill: Backfill, shop: ShopIdentity, owner: string, now: Date): Promise<number> {
  const held = { id: backfill.id, leaseOwner: owner };
  const api = await adminApiForShop(shop.domain);
  if (!api) return fail(backfill, "Waypost has no access to this store's orders. Reinstall the app to grant it.");

  if (backfill.ordersTotal === null) {
    const total = await api.countOrders(historySearch(backfill.since));
    if (total.ok) await prisma.backfill.updateMany({ where: held, data: { ordersTotal: total.data } });
  }
  const page = await readOrdersPage(api, historySearch(backfill.since), backfill.cursor);
  if (!page.ok) {
    if (page.kind === "throttled") {
      await prisma.backfill.updateMany({
        where: held,
        data: { leaseOwner: null, leaseExpiresAt: null, nextReadAt: new Date(now.getTime() + page.waitMs) },
      });
      return 0;
    }
    return fail(backfill, page.detail);
  }

  const found = page.data.orders.flatMap((order) => {
    const history = eventsInHistory(shop.domain, order, { country: shop.countryCode });
    return "events" in history ? history.events : [];
  });
  // Recorded in one write (the checkpoint below moves only after it), with the live events' keys.
  const { skipped } = await recordFound(shop, found, {
    kind: "historical",
    backfillId: backfill.id,
    triggerFlows: backfill.triggerFlows,
  });
  await prisma.backfill.updateMany({
    where: held,
    data: {
      cursor: page.data.endCursor ?? backfill.cursor,
      readDone: !page.data.hasNextPage,
      ordersRead: { increment: page.data.orders.length },
      eventsSkipped: { increment: skipped },
      leaseOwner: null,
      leaseExpiresAt: null,
      // Shopify's budget refills over time: wait until the next page's cost fits.
      nextReadAt: new Date(Date.now() + waitForCostMs(page.throttle, page.requestedCost ?? 0)),
    },
  });
  return page.data.orders.length;
}

async function fail(backfill: Backfill, reason: string) {
  log.warn("backfill failed", { backfillId: backfill.id, reason });
  await prisma.backfill.updateMany({
    where: { id: backfill.id, status: { in: ACTIVE } },
    data: {
      status: "failed",
      error: reason,
      activeShopId: null,
      finishedAt: new Date(),
      leaseOwner: null,
      leaseExpiresAt: null,
    },
  });
  await cancelQueued({ shopId: backfill.shopId, backfillId: backfill.id }, CANCEL_REASONS.importStopped(reason));
  return 0;
}

/** A backfill whose every order is read and every event settled is complete. */
async function finishSentBackfills(now: Date) {
  const reading = await prisma.backfill.findMany({
    where: { status: "running", readDone: true },
    select: { id: true, shopId: true },
  });
  for (const backfill of reading) {
    const open = await prisma.trackingEvent.count({
      where: { shopId: backfill.shopId, backfillId: backfill.id, status: { in: [...OPEN_STATUSES] } },
    });
    if (open > 0) continue;
    await prisma.backfill.updateMany({
      where: { id: backfill.id, status: "running" },
      data: { status: "completed", activeShopId: null, finishedAt: now },
    });
    log.info("backfill completed", { backfillId: backfill.id });
  }
}
