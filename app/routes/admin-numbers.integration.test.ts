import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { adminRequest } from "../../e2e/support/admin-session";
import { resetDatabase, seedShop, useKlaviyoDouble } from "../../e2e/support/integration";
import { signedWebhookRequest } from "../../e2e/support/webhook-signer";
import { prisma } from "../db.server";
import { generateOrderHistory } from "../demo/doubles/shopify-admin/order-history";
import { startShopifyAdminDouble, type ShopifyAdminDouble } from "../demo/doubles/shopify-admin/server";
import { getEnv } from "../env.server";
import { startBackfill } from "../jobs/backfill/commands.server";
import { latestBackfill } from "../jobs/backfill/progress.server";
import { readBackfillPages } from "../jobs/backfill/reader.server";
import { sendBackfillEvents } from "../jobs/backfill/sender.server";
import { sendDueEvents } from "../jobs/event-sender.server";
import { processPendingReceipts } from "../jobs/receipt-worker.server";
import { orderStory } from "../platform/sample-order";
import { receiveWebhook } from "../platform/webhook-ingest.server";
import type { EventKey } from "../tracking/event-catalog";
import { activityUrl, type ActivityLinkFilter } from "../tracking/activity-link";
import { EVENT_STATUSES } from "../tracking/event-status";
import * as activity from "./app.activity";
import * as dashboard from "./app._index";

// Every count an admin page shows opens the rows behind it: the link's Activity filter lists exactly that many.

const SHOP = "numbers-shop.myshopify.com";
const ORDERS = generateOrderHistory({ count: 60, days: 60 });
const klaviyo = useKlaviyoDouble();
let shopify: ShopifyAdminDouble;
let shopId: string;

beforeAll(async () => {
  shopify = await startShopifyAdminDouble({ orders: ORDERS, accessToken: `shpat_${SHOP}` });
});
afterAll(async () => {
  await shopify.close();
});
beforeEach(async () => {
  (getEnv() as { shopifyAdminApiUrl?: string }).shopifyAdminApiUrl = shopify.url;
  await resetDatabase();
  // Two events are off, so the import skips some of what it finds.
  const events = ["placed_order", "order_shipped", "in_transit", "out_for_delivery", "delivered"] satisfies EventKey[];
  shopId = (await seedShop({ domain: SHOP, name: "Numbers Shop", connected: "KNUM", goLive: true, events })).id;
});

type Row = { id: string; orderName: string | null; status: string; source: string | null; occurredAt: string | null };

/** Every row an Activity link lists, through all its pages. */
async function rowsBehind(url: string) {
  const rows: Row[] = [];
  for (let query = new URL(url, "https://admin.test").search; ;) {
    const page = await (
      await activity.loader({ request: await adminRequest(SHOP, `/app/activity${query}`), params: {}, context: {} })
    ).json();
    // JSON over the wire: times are strings.
    rows.push(...(page.events as unknown as Row[]));
    if (!page.olderCursor) return rows;
    const next = new URL(url, "https://admin.test").searchParams;
    next.set("before", page.olderCursor);
    query = `?${next}`;
  }
}

async function importHistory(days: number) {
  await startBackfill(shopId, { windowDays: days, triggerFlows: false });
  for (let pass = 0; pass < 500; pass++) {
    const read = await readBackfillPages({ owner: "numbers" });
    const sent = await sendBackfillEvents({ owner: "numbers" });
    if ((await latestBackfill(shopId))?.status !== "running") break;
    // Nothing was due: the import waits for Shopify's bucket (or its next pass) as a worker would.
    if (read.read + sent.sent === 0)
      await new Promise((resolve) => setTimeout(resolve, Math.min(250, read.nextPassInMs, sent.nextPassInMs) || 50));
  }
  return (await latestBackfill(shopId))!;
}

describe("numbers that add up", { timeout: 300_000 }, () => {
  it("counts live events by when they happened; imported ones keep their own dates, marked, and each count opens its rows", async () => {
    // A live order's life today, then 60 days of imported history.
    for (const webhook of orderStory({ orderId: 7001, endsAt: new Date() }))
      await receiveWebhook(signedWebhookRequest("https://waypost.test/webhooks", { ...webhook, shop: SHOP }));
    await processPendingReceipts();
    while ((await sendDueEvents()).sent > 0);
    const imported = await importHistory(60);
    expect(imported.status).toBe("completed");
    expect(imported.eventsSkipped).toBeGreaterThan(0);
    expect(imported.eventsSent).toBeGreaterThan(20);

    const data = await (
      await dashboard.loader({ request: await adminRequest(SHOP, "/app"), params: {}, context: {} })
    ).json();
    // The live order happened in the last minutes; the import's orders over 60 days, some of them
    // today too: the counts hold the live order's events alone.
    const live = await prisma.trackingEvent.count({ where: { shopId, backfillId: null } });
    const total = (counts: { byStatus: Record<string, number> }) =>
      Object.values(counts.byStatus).reduce((sum, count) => sum + count, 0);
    expect(live).toBeGreaterThan(5);
    expect(total(data.events.lastDay)).toBe(live);
    expect(total(data.events.lastWeek)).toBe(live);
    for (const counts of [data.events.lastDay, data.events.lastWeek]) {
      for (const status of EVENT_STATUSES) {
        const filter: ActivityLinkFilter = { status, source: "live", since: counts.since };
        const rows = await rowsBehind(activityUrl(filter));
        expect(rows.length, `${status} since ${counts.since}`).toBe(counts.byStatus[status] ?? 0);
        expect(rows.every((row) => row.source === "live" && new Date(row.occurredAt!) >= new Date(counts.since))).toBe(
          true,
        );
      }
      for (const [eventKey, byStatus] of Object.entries(counts.byEvent as Record<string, Record<string, number>>))
        for (const [status, count] of Object.entries(byStatus))
          expect(
            (
              await rowsBehind(
                activityUrl({ status: status as never, event: eventKey, source: "live", since: counts.since }),
              )
            ).length,
          ).toBe(count);
    }

    // The import card's numbers open the import's own rows, the skipped ones with their reason.
    const ofImport = (status: "sent" | "skipped" | "dead_lettered") =>
      rowsBehind(activityUrl({ import: imported.id, status }));
    expect((await ofImport("sent")).length).toBe(imported.eventsSent);
    const skipped = await ofImport("skipped");
    expect(skipped.length).toBe(imported.eventsSkipped);
    expect(skipped.every((row) => row.source === "imported")).toBe(true);
    expect((await ofImport("dead_lettered")).length).toBe(imported.eventsFailed);

    // Imported events are found in the weeks they happened, not on the day they were imported:
    // on the shop's own calendar (its time zone is Shopify's, America/New_York), as the filter means it.
    const { timezone } = await prisma.shop.findUniqueOrThrow({ where: { id: shopId } });
    const dayOf = (occurredAt: string) => new Date(occurredAt).toLocaleDateString("en-CA", { timeZone: timezone });
    const importedRows = await rowsBehind(activityUrl({ source: "imported" }));
    const oldest = importedRows.map((row) => row.occurredAt!).sort()[0];
    const day = dayOf(oldest);
    const thatDay = await rowsBehind(`/app/activity?source=imported&from=${day}&to=${day}`);
    expect(thatDay.length).toBeGreaterThan(0);
    expect(thatDay.map((row) => dayOf(row.occurredAt!))).toEqual(thatDay.map(() => day));
    expect(new Date(oldest).getTime()).toBeLessThan(Date.now() - 20 * 24 * 60 * 60_000);
  });

  it("an import's skipped event gives its key up: once the event is turned on, a later import sends it", async () => {
    const first = await importHistory(30);
    const skippedKeys = (
      await prisma.trackingEvent.findMany({
        where: { backfillId: first.id, status: "skipped", eventKey: "order_cancelled" },
      })
    ).map((row) => row.uniqueKey);
    expect(skippedKeys.length).toBeGreaterThan(0);
    await prisma.eventSetting.update({
      where: { shopId_eventKey: { shopId, eventKey: "order_cancelled" } },
      data: { enabled: true },
    });
    const second = await importHistory(30);
    const now = await prisma.trackingEvent.findMany({ where: { shopId, uniqueKey: { in: skippedKeys } } });
    expect(now).toHaveLength(skippedKeys.length);
    expect(now.every((row) => row.backfillId === second.id && row.status === "sent")).toBe(true);
    const sentAtKlaviyo = new Set(klaviyo.state.events.map((event) => event.uniqueId));
    expect(skippedKeys.every((key) => sentAtKlaviyo.has(key))).toBe(true);
  });
});
