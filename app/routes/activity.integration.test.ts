import { beforeEach, describe, expect, it } from "vitest";
import { adminRequest } from "../../e2e/support/admin-session";
import { resetDatabase, seedShop, useKlaviyoDouble } from "../../e2e/support/integration";
import { signedWebhookRequest } from "../../e2e/support/webhook-signer";
import { OTHER_SHOP, TEST_SHOP } from "../../e2e/support/test-config";
import { prisma } from "../db.server";
import { sendDueEvents } from "../jobs/event-sender.server";
import { processPendingReceipts } from "../jobs/receipt-worker.server";
import { orderStory } from "../platform/sample-order";
import { receiveWebhook } from "../platform/webhook-ingest.server";
import * as activity from "./app.activity";
import * as eventDetail from "./app.activity_.$eventId";

const double = useKlaviyoDouble();

beforeEach(async () => {
  await resetDatabase();
  await seedShop({ domain: TEST_SHOP, name: TEST_SHOP });
  await seedShop({ domain: OTHER_SHOP, name: OTHER_SHOP });
});

describe("Activity", () => {
  it("replays a dead letter from Activity, once at Klaviyo; another shop cannot replay it, even knowing its id", async () => {
    const shop = await seedShop({ domain: TEST_SHOP, name: TEST_SHOP, connected: true, goLive: true });
    await receiveWebhook(signedWebhookRequest("https://waypost.test/webhooks", orderStory({ orderId: 8001 })[0]));
    await processPendingReceipts();
    double.state.faults = { errorRate: 0, latencyMs: 0, forced: { status: 400, remaining: 100 } };
    await sendDueEvents();
    const failed = await prisma.trackingEvent.findFirstOrThrow({
      where: { shopId: shop.id, eventKey: "placed_order" },
    });
    expect(failed.status).toBe("dead_lettered");

    const replay = async (asShopDomain: string) =>
      activity.action({
        request: await adminRequest(asShopDomain, "/app/activity", { intent: "replay", eventId: failed.id }),
        params: {},
        context: {},
      });
    const refused = await replay(OTHER_SHOP);
    expect(refused.status).toBe(404);
    expect((await refused.json()).replayed).toBe(0);
    expect((await prisma.trackingEvent.findUniqueOrThrow({ where: { id: failed.id } })).status).toBe("dead_lettered");

    double.state.faults = { errorRate: 0, latencyMs: 0 };
    expect((await replay(TEST_SHOP)).status).toBe(200);
    await sendDueEvents();
    await sendDueEvents();
    expect(double.state.events.filter((event) => event.metric === "Placed Order")).toHaveLength(1);
    expect((await prisma.trackingEvent.findUniqueOrThrow({ where: { id: failed.id } })).status).toBe("sent");

    // Its detail page shows the frozen payload and both attempts, to this shop only.
    const detailAs = async (shopDomain: string) =>
      eventDetail.loader({
        request: await adminRequest(shopDomain, `/app/activity/${failed.id}`),
        params: { eventId: failed.id },
        context: {},
      });
    const detail = await (await detailAs(TEST_SHOP)).json();
    expect(
      detail.event.attemptLog.map(
        (attempt: { httpStatus: number; outcome: string }) => `${attempt.httpStatus} ${attempt.outcome}`,
      ),
    ).toEqual(["400 failed", "202 sent"]);
    expect(JSON.parse(detail.event.payload ?? "null").data.attributes.unique_id).toBe(failed.uniqueKey);
    await expect(detailAs(OTHER_SHOP)).rejects.toMatchObject({ status: 404 });
  });

  it("filters Activity by status, event, order, email, tracking number and days in the shop's time zone; never shows another shop's", async () => {
    const mine = await prisma.shop.update({ where: { domain: TEST_SHOP }, data: { timezone: "America/New_York" } });
    const theirs = await prisma.shop.findUniqueOrThrow({ where: { domain: OTHER_SHOP } });
    const rows = [
      {
        shopId: mine.id,
        orderName: "#1",
        status: "sent",
        eventKey: "delivered",
        customerEmail: "ann@example.com",
        trackingNumber: "1ZA",
        detectedAt: new Date("2026-11-20T15:00:00Z"),
      },
      {
        shopId: mine.id,
        orderName: "#2",
        status: "dead_lettered",
        eventKey: "out_for_delivery",
        customerEmail: "bob@example.com",
        trackingNumber: "1ZB",
        detectedAt: new Date("2026-11-21T04:59:00Z"),
      },
      {
        shopId: mine.id,
        orderName: "#3",
        status: "skipped",
        eventKey: "delivered",
        customerEmail: "ann@example.com",
        trackingNumber: null,
        detectedAt: new Date("2026-11-21T05:00:00Z"),
      },
      {
        shopId: theirs.id,
        orderName: "#1",
        status: "sent",
        eventKey: "delivered",
        customerEmail: "ann@example.com",
        trackingNumber: "1ZA",
        detectedAt: new Date("2026-11-20T15:00:00Z"),
      },
    ];
    for (const [index, row] of rows.entries()) {
      await prisma.trackingEvent.create({
        data: { ...row, occurredAt: row.detectedAt, uniqueKey: `f-${index}`, orderId: row.orderName.slice(1) },
      });
    }
    const list = async (query: string, shop = TEST_SHOP) =>
      (
        await (
          await activity.loader({
            request: await adminRequest(shop, `/app/activity?${query}`),
            params: {},
            context: {},
          })
        ).json()
      ).events.map((event: { orderName: string | null }) => event.orderName);
    expect(await list("")).toEqual(["#3", "#2", "#1"]);
    expect(await list("status=dead_lettered")).toEqual(["#2"]);
    expect(await list("event=delivered")).toEqual(["#3", "#1"]);
    expect(await list("q=%233")).toEqual(["#3"]);
    expect(await list("q=3")).toEqual(["#3"]);
    expect(await list("q=ANN%40example.com")).toEqual(["#3", "#1"]);
    expect(await list("q=1ZB")).toEqual(["#2"]);
    // New York days: Nov 20 ends at 05:00 UTC on the 21st.
    expect(await list("from=2026-11-20&to=2026-11-20")).toEqual(["#2", "#1"]);
    expect(await list("from=2026-11-21")).toEqual(["#3"]);
    expect((await list("status=bogus&event=launch_rockets&from=not-a-date")).sort()).toEqual(["#1", "#2", "#3"]);
    // The other shop sees only its own event, whatever it searches for.
    expect(await list("q=ann%40example.com", OTHER_SHOP)).toEqual(["#1"]);
    expect(await list("q=%232", OTHER_SHOP)).toEqual([]);
  });

  it("pages through Activity newest first with cursors, and a cursor from another shop shows only the asker's events", async () => {
    const mine = await prisma.shop.findUniqueOrThrow({ where: { domain: TEST_SHOP } });
    const theirs = await prisma.shop.findUniqueOrThrow({ where: { domain: OTHER_SHOP } });
    const start = Date.now() - 60 * 60_000;
    await prisma.trackingEvent.createMany({
      data: Array.from({ length: 120 }, (_, index) => ({
        shopId: index % 2 ? mine.id : theirs.id,
        uniqueKey: `p-${index}`,
        eventKey: "delivered",
        orderId: String(index),
        orderName: `#${index}`,
        status: "sent",
        detectedAt: new Date(start + Math.floor(index / 4) * 1000),
      })),
    });
    const page = async (query: string, shop = TEST_SHOP) =>
      (
        await activity.loader({ request: await adminRequest(shop, `/app/activity?${query}`), params: {}, context: {} })
      ).json();
    const first = await page("");
    expect(first.events).toHaveLength(50);
    expect(first.newerCursor).toBeUndefined();
    const second = await page(`before=${first.olderCursor}`);
    expect(second.events).toHaveLength(10);
    const names = (events: Array<{ orderName: string | null }>) => events.map((event) => event.orderName);
    const all = [...names(first.events), ...names(second.events)];
    expect(second.olderCursor).toBeUndefined();
    expect(new Set(all).size).toBe(60);
    expect(all).toEqual(Array.from({ length: 60 }, (_, index) => `#${119 - index * 2}`));
    const back = await page(`after=${second.newerCursor}`);
    expect(names(back.events)).toEqual(names(first.events));

    // The other shop replays my cursor: it gets its own events, older than that point in time.
    const theirsPage = await page(`before=${first.olderCursor}`, OTHER_SHOP);
    expect(
      theirsPage.events.every((event: { orderName: string | null }) => Number(event.orderName?.slice(1)) % 2 === 0),
    ).toBe(true);
  });

  it("replays all of a shop's dead letters, and another shop's replay-all touches none of them", async () => {
    const mine = await prisma.shop.findUniqueOrThrow({ where: { domain: TEST_SHOP } });
    for (const [index, eventKey] of ["delivered", "delivered", "in_transit"].entries()) {
      await prisma.trackingEvent.create({
        data: {
          shopId: mine.id,
          uniqueKey: `d-${index}`,
          eventKey,
          orderId: "1",
          status: "dead_lettered",
          payload: "{}",
        },
      });
    }
    const replayAll = async (shop: string, form: Record<string, string> = {}) =>
      (
        await activity.action({
          request: await adminRequest(shop, "/app/activity", { intent: "replay_all", ...form }),
          params: {},
          context: {},
        })
      ).json();
    expect(await replayAll(OTHER_SHOP)).toEqual({ replayed: 0, error: null });
    expect(await prisma.trackingEvent.count({ where: { status: "dead_lettered" } })).toBe(3);
    expect(await replayAll(TEST_SHOP, { eventKey: "delivered" })).toEqual({ replayed: 2, error: null });
    expect(await replayAll(TEST_SHOP)).toEqual({ replayed: 1, error: null });
    expect(await prisma.trackingEvent.count({ where: { status: "queued", shopId: mine.id } })).toBe(3);
    expect(await prisma.deliveryReady.count({ where: { shopId: mine.id } })).toBe(3);
  });
});
