import type { Backfill } from "@prisma/client";
import { prisma } from "../db.server";
import { isUniqueViolation } from "../db/errors";
import { env } from "../env.server";
import { profileAttributes } from "../klaviyo/profile";
import { errorSummary, log } from "../log.server";
import { ShopifyAdminApi, waitForCostMs } from "../platform/admin-graphql.server";
import { trackSettingsFor } from "../settings/track-settings.server";
import { eventsInHistory, type HistoricalEvent } from "../tracking/history-events";
import { DAY_MS } from "../time";
import { sendBackfillEvents } from "./backfill-sender.server";
import { startPollingWorker } from "./polling-worker.server";
import { eventIdentity, frozenPayload } from "./tracking-ingest.server";
import { notifyWork } from "../work-signal.server";

export const BACKFILL_DAYS = { min: 1, max: 90, default: 14 } as const;
const ACTIVE = ["running", "paused"];

/** A reason a backfill cannot start or change, in the merchant's words. */
export class BackfillRefused extends Error {}

type Shop = { id: string; domain: string; name: string; timezone: string };

/**
 * Starts importing the shop's orders updated in the last `windowDays` days. Historical events
 * record without triggering flows unless `triggerFlows`. Only one import runs per shop.
 */
export async function startBackfill(shopId: string, { windowDays, triggerFlows }: { windowDays: number; triggerFlows: boolean }, now = new Date()) {
  if (!Number.isInteger(windowDays) || windowDays < BACKFILL_DAYS.min || windowDays > BACKFILL_DAYS.max) {
    throw new BackfillRefused(`Choose between ${BACKFILL_DAYS.min} and ${BACKFILL_DAYS.max} days of history.`);
  }
  const connection = await prisma.klaviyoConnection.findUnique({ where: { shopId }, select: { status: true } });
  if (connection?.status !== "connected") throw new BackfillRefused("Connect Klaviyo before importing order history.");
  try {
    const backfill = await prisma.backfill.create({
      data: { shopId, activeShopId: shopId, status: "running", windowDays, triggerFlows, since: new Date(now.getTime() - windowDays * DAY_MS), nextReadAt: now },
    });
    notifyWork("backfill");
    return backfill;
  } catch (error) {
    if (isUniqueViolation(error)) throw new BackfillRefused("An import of order history is already under way for this store.");
    throw error;
  }
}

async function changeActive(shopId: string, backfillId: string, from: string[], data: Partial<Backfill>) {
  const { count } = await prisma.backfill.updateMany({ where: { id: backfillId, shopId, status: { in: from } }, data });
  if (count === 0) throw new BackfillRefused("That import has already ended.");
}

export async function pauseBackfill(shopId: string, backfillId: string) {
  await changeActive(shopId, backfillId, ["running"], { status: "paused" });
}

export async function resumeBackfill(shopId: string, backfillId: string) {
  await changeActive(shopId, backfillId, ["paused"], { status: "running", nextReadAt: new Date() });
  notifyWork("backfill");
}

/** Stops at once: nothing more is read or sent; what was sent stays sent. */
export async function cancelBackfill(shopId: string, backfillId: string, reason = "The import was cancelled before this event was sent") {
  await changeActive(shopId, backfillId, ACTIVE, { status: "cancelled", activeShopId: null, finishedAt: new Date() });
  await prisma.trackingEvent.updateMany({ where: { shopId, backfillId, status: "queued" }, data: { status: "cancelled", skipReason: reason, nextAttemptAt: null } });
}

export interface BackfillProgress {
  id: string;
  status: string;
  windowDays: number;
  triggerFlows: boolean;
  ordersTotal: number | null;
  ordersRead: number;
  eventsFound: number;
  eventsSent: number;
  eventsFailed: number;
  eventsSkipped: number;
  percent: number;
  secondsLeft: number | null;
  error: string | null;
  startedAt: string;
  finishedAt: string | null;
}

/** The shop's latest import and how far it got, for the progress bar. */
export async function latestBackfill(shopId: string, now = new Date()): Promise<BackfillProgress | null> {
  const backfill = await prisma.backfill.findFirst({ where: { shopId }, orderBy: { startedAt: "desc" } });
  if (!backfill) return null;
  const counts = await prisma.trackingEvent.groupBy({ by: ["status"], where: { shopId, backfillId: backfill.id }, _count: { _all: true } });
  const count = (status: string) => counts.find((row) => row.status === status)?._count._all ?? 0;
  const eventsSent = count("sent");
  const eventsFailed = count("dead_lettered");
  const eventsFound = counts.reduce((total, row) => total + row._count._all, 0);
  return {
    id: backfill.id,
    status: backfill.status,
    windowDays: backfill.windowDays,
    triggerFlows: backfill.triggerFlows,
    ordersTotal: backfill.ordersTotal,
    ordersRead: backfill.ordersRead,
    eventsFound,
    eventsSent,
    eventsFailed,
    eventsSkipped: backfill.eventsSkipped,
    ...progressOf(backfill, { eventsFound, eventsSettled: eventsFound - count("queued") - count("sending") }, now),
    error: backfill.error,
    startedAt: backfill.startedAt.toISOString(),
    finishedAt: backfill.finishedAt?.toISOString() ?? null,
  };
}

/**
 * Reading orders is most of the work (sending goes 1,000 events a request): the bar follows
 * the orders read, and the last step waits for the sends. Time left extrapolates the pace so far.
 */
export function progressOf(
  backfill: Pick<Backfill, "status" | "ordersTotal" | "ordersRead" | "readDone" | "startedAt">,
  { eventsFound, eventsSettled }: { eventsFound: number; eventsSettled: number },
  now: Date,
): { percent: number; secondsLeft: number | null } {
  if (backfill.status === "completed") return { percent: 100, secondsLeft: 0 };
  const total = Math.max(backfill.ordersTotal ?? 0, backfill.ordersRead, 1);
  const reading = backfill.readDone ? 1 : backfill.ordersRead / total;
  const sending = eventsFound ? eventsSettled / eventsFound : 1;
  const done = reading * 0.9 + (backfill.readDone ? 0.1 * sending : 0);
  const elapsedSeconds = (now.getTime() - backfill.startedAt.getTime()) / 1000;
  const secondsLeft = backfill.status === "running" && done > 0.02 ? Math.ceil((elapsedSeconds / done) * (1 - done)) : null;
  return { percent: Math.min(99, Math.floor(done * 100)), secondsLeft };
}

/**
 * One step of every running import whose turn has come: read the next page of orders, record
 * the events it shows (those already sent live are recognised by key and skipped), move the
 * checkpoint. A backfill is read by one worker at a time, under a lease; a restart resumes at
 * the checkpoint, and a page read twice records nothing twice.
 */
export async function readBackfillPages({ owner, now = new Date() }: { owner: string; now?: Date }): Promise<{ read: number; nextPassInMs: number }> {
  const due = await prisma.backfill.findMany({
    where: { status: "running", readDone: false, nextReadAt: { lte: now }, OR: [{ leaseExpiresAt: null }, { leaseExpiresAt: { lt: now } }] },
    include: { shop: { select: { id: true, domain: true, name: true, timezone: true } } },
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
      await prisma.backfill.updateMany({ where: { id: backfill.id, leaseOwner: owner }, data: { leaseOwner: null, leaseExpiresAt: null, nextReadAt: new Date(now.getTime() + 5000) } });
    }
  }
  await finishSentBackfills(now);
  const next = await prisma.backfill.findFirst({ where: { status: "running", readDone: false }, orderBy: { nextReadAt: "asc" }, select: { nextReadAt: true } });
  return { read, nextPassInMs: next ? Math.max(0, next.nextReadAt.getTime() - Date.now()) : Number.POSITIVE_INFINITY };
}

async function readNextPage(backfill: Backfill, shop: Shop, owner: string, now: Date): Promise<number> {
  const held = { id: backfill.id, leaseOwner: owner };
  const api = await adminApiFor(shop.domain);
  if (!api) return fail(backfill, "Waypost has no access to this store's orders. Reinstall the app to grant it.");

  if (backfill.ordersTotal === null) {
    const total = await api.countOrders(backfill.since);
    if (total.ok) await prisma.backfill.updateMany({ where: held, data: { ordersTotal: total.data } });
  }
  const page = await api.ordersPage(backfill.since, backfill.cursor);
  if (!page.ok) {
    if (page.kind === "throttled") {
      await prisma.backfill.updateMany({ where: held, data: { leaseOwner: null, leaseExpiresAt: null, nextReadAt: new Date(now.getTime() + page.waitMs) } });
      return 0;
    }
    return fail(backfill, page.detail);
  }

  const settings = await trackSettingsFor(shop.id);
  const found = page.data.orders.flatMap((order) => {
    const history = eventsInHistory(shop.domain, order);
    return "events" in history ? history.events : [];
  });
  const { queued, skipped } = await recordHistoricalEvents(shop, backfill, found, settings.events);
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
  if (queued) notifyWork("backfill");
  return page.data.orders.length;
}

async function adminApiFor(shopDomain: string) {
  const session = await prisma.session.findUnique({ where: { id: `offline_${shopDomain}` }, select: { accessToken: true } });
  if (!session?.accessToken) return undefined;
  return new ShopifyAdminApi({ baseUrl: env.shopifyAdminApiUrl ?? `https://${shopDomain}`, accessToken: session.accessToken });
}

async function fail(backfill: Backfill, reason: string) {
  log.warn("backfill failed", { backfillId: backfill.id, reason });
  await prisma.backfill.updateMany({
    where: { id: backfill.id, status: { in: ACTIVE } },
    data: { status: "failed", error: reason, activeShopId: null, finishedAt: new Date(), leaseOwner: null, leaseExpiresAt: null },
  });
  await prisma.trackingEvent.updateMany({
    where: { shopId: backfill.shopId, backfillId: backfill.id, status: "queued" },
    data: { status: "cancelled", skipReason: `The import stopped: ${reason}`, nextAttemptAt: null },
  });
  return 0;
}

/**
 * Records a page's events in one write: each once (the shop's unique key, shared with live
 * events), with its frozen payload marked `backfill` unless flows may fire. Events the merchant
 * turned off or that cannot reach a customer are counted, not recorded, so a later live event
 * or a later import can still send them.
 */
export async function recordHistoricalEvents(
  shop: Shop,
  backfill: Pick<Backfill, "id" | "triggerFlows">,
  found: HistoricalEvent[],
  eventSettings: Array<{ key: string; enabled: boolean }>,
): Promise<{ queued: number; skipped: number }> {
  const enabled = new Set(eventSettings.filter((event) => event.enabled).map((event) => event.key));
  const wanted = found.filter((event) => enabled.has(event.detection.eventKey) && profileAttributes(event.order.contact));
  const skipped = found.length - wanted.length;
  if (wanted.length === 0) return { queued: 0, skipped };

  const existing = new Set(
    (await prisma.trackingEvent.findMany({ where: { shopId: shop.id, uniqueKey: { in: wanted.map((event) => event.detection.uniqueKey) } }, select: { uniqueKey: true } })).map(
      (row) => row.uniqueKey,
    ),
  );
  const now = new Date();
  const rows = wanted
    .filter((event) => !existing.has(event.detection.uniqueKey))
    .map(({ detection, order, shipment, status }) => ({
      ...eventIdentity(shop, order, shipment, detection),
      backfillId: backfill.id,
      detectedAt: now,
      status: "queued",
      payload: JSON.stringify(frozenPayload(shop, order, shipment, detection, { status, backfill: !backfill.triggerFlows })),
      nextAttemptAt: now,
    }));
  if (rows.length === 0) return { queued: 0, skipped };
  try {
    await prisma.trackingEvent.createMany({ data: rows });
    return { queued: rows.length, skipped };
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    // A live webhook recorded one of them meanwhile: record the rest one by one.
    let queued = 0;
    for (const row of rows) {
      try {
        await prisma.trackingEvent.create({ data: row });
        queued++;
      } catch (rowError) {
        if (!isUniqueViolation(rowError)) throw rowError;
      }
    }
    return { queued, skipped };
  }
}

/** A backfill whose every order is read and every event settled is complete. */
async function finishSentBackfills(now: Date) {
  const reading = await prisma.backfill.findMany({ where: { status: "running", readDone: true }, select: { id: true, shopId: true } });
  for (const backfill of reading) {
    const open = await prisma.trackingEvent.count({ where: { shopId: backfill.shopId, backfillId: backfill.id, status: { in: ["queued", "sending"] } } });
    if (open > 0) continue;
    await prisma.backfill.updateMany({ where: { id: backfill.id, status: "running" }, data: { status: "completed", activeShopId: null, finishedAt: now } });
    log.info("backfill completed", { backfillId: backfill.id });
  }
}

/** Reads and sends this process's share of every running import, as soon as there is work. */
export function startBackfillWorker({ owner }: { owner: string }) {
  const worker = startPollingWorker(
    "backfill",
    async () => {
      const [reading, sending] = await Promise.all([readBackfillPages({ owner }), sendBackfillEvents({ owner })]);
      return { runAgainInMs: Math.min(reading.nextPassInMs, sending.nextPassInMs) };
    },
    1000,
  );
  return {
    async stop() {
      await worker.stop();
      // The next process resumes at the checkpoint at once rather than after the lease.
      await prisma.backfill.updateMany({ where: { leaseOwner: owner }, data: { leaseOwner: null, leaseExpiresAt: null } });
    },
  };
}
