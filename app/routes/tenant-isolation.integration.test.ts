import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_ACCOUNTS } from "../demo/doubles/klaviyo/server";
import { mintTestSessionToken, seedInstalledShop } from "../../e2e/support/admin-session";
import { resetDatabase, useKlaviyoDouble } from "../../e2e/support/integration";
import { BROWSER_USER_AGENT, OTHER_SHOP, TEST_SHOP } from "../../e2e/support/test-config";
import { prisma } from "../db.server";
import { orderStory } from "../platform/sample-order";
import { sendDueEvents } from "../jobs/event-sender.server";
import { processPendingReceipts } from "../jobs/receipt-worker.server";
import { receiveWebhook } from "../platform/webhook-ingest.server";
import { saveTrackSettings } from "../settings/track-settings.server";
import { EVENT_CATALOG } from "../tracking/event-catalog";
import { signedWebhookRequest } from "../../e2e/support/webhook-signer";
import * as activity from "./app.activity";
import * as dashboard from "./app._index";
import * as eventDetail from "./app.activity_.$eventId";
import * as adminLayout from "./app";
import * as integrations from "./app.integrations";
import * as trackSettings from "./app.track-settings";

const double = useKlaviyoDouble();

beforeEach(async () => {
  await resetDatabase();
  await seedInstalledShop(prisma, TEST_SHOP);
  await seedInstalledShop(prisma, OTHER_SHOP);
  await prisma.shop.updateMany({ data: { goLive: false } });
});

async function asShop(shop: string, path: string, form?: Record<string, string | string[]>) {
  const { token } = await mintTestSessionToken(shop);
  const headers = { Authorization: `Bearer ${token}`, "User-Agent": BROWSER_USER_AGENT };
  if (!form) return new Request(`https://waypost.test${path}`, { headers });
  const body = new URLSearchParams();
  for (const [key, value] of Object.entries(form)) for (const item of [value].flat()) body.append(key, item);
  return new Request(`https://waypost.test${path}`, { method: "POST", headers, body });
}

const settingsOf = async (shop: string) =>
  (await trackSettings.loader({ request: await asShop(shop, "/app/track-settings"), params: {}, context: {} })).json();
const saveSettings = async (shop: string, form: Record<string, string | string[]>) =>
  trackSettings.action({ request: await asShop(shop, "/app/track-settings", form), params: {}, context: {} });
const integrationsOf = async (shop: string) =>
  (await integrations.loader({ request: await asShop(shop, "/app/integrations"), params: {}, context: {} })).json();
const integrationAction = async (shop: string, form: Record<string, string>) =>
  integrations.action({ request: await asShop(shop, "/app/integrations", form), params: {}, context: {} });

describe("tenant isolation", () => {
  it("a shop's settings change only that shop, and survive a reload", async () => {
    const response = await saveSettings(TEST_SHOP, { goLive: "on", enabledEvents: ["delivered", "out_for_delivery"] });
    expect(response.status).toBe(200);

    const mine = await settingsOf(TEST_SHOP);
    expect(mine.goLive).toBe(true);
    expect(mine.events.filter((event: { enabled: boolean }) => event.enabled).map((event: { key: string }) => event.key).sort()).toEqual([
      "delivered",
      "out_for_delivery",
    ]);
    const theirs = await settingsOf(OTHER_SHOP);
    expect(theirs.goLive).toBe(false);
    expect(theirs.events.find((event: { key: string }) => event.key === "placed_order")?.enabled).toBe(true);
  });

  it("a shop cannot see or disconnect another shop's Klaviyo connection", async () => {
    await integrationAction(OTHER_SHOP, { intent: "private_key", apiKey: DEFAULT_ACCOUNTS[0].privateKeys[0] });
    expect((await integrationsOf(OTHER_SHOP)).connection.status).toBe("connected");
    expect((await integrationsOf(TEST_SHOP)).connection.status).toBe("not_connected");

    await integrationAction(TEST_SHOP, { intent: "disconnect" });
    expect((await integrationsOf(OTHER_SHOP)).connection.status).toBe("connected");
  });

  it("never sends a token or key to the browser", async () => {
    await integrationAction(TEST_SHOP, { intent: "private_key", apiKey: DEFAULT_ACCOUNTS[0].privateKeys[0] });
    const page = JSON.stringify(await integrationsOf(TEST_SHOP));
    expect(page).not.toContain(DEFAULT_ACCOUNTS[0].privateKeys[0]);
    expect(page).not.toContain("sealed");
  });
});

describe("needs reconnect", () => {
  it("is shown on every admin page of that shop, and only that shop", async () => {
    await integrationAction(TEST_SHOP, { intent: "private_key", apiKey: DEFAULT_ACCOUNTS[0].privateKeys[0] });
    await prisma.klaviyoConnection.updateMany({ data: { status: "needs_reconnect" } });
    const layoutOf = async (shop: string) =>
      (await adminLayout.loader({ request: await asShop(shop, "/app/activity"), params: {}, context: {} })).json();
    expect((await layoutOf(TEST_SHOP)).needsReconnect).toBe(true);
    expect((await layoutOf(OTHER_SHOP)).needsReconnect).toBe(false);
  });
});

describe("replaying a dead-lettered event", () => {
  it("sends it again from Activity, once at Klaviyo; another shop cannot replay it, even knowing its id", async () => {
    const shop = await prisma.shop.findUniqueOrThrow({ where: { domain: TEST_SHOP } });
    await integrationAction(TEST_SHOP, { intent: "private_key", apiKey: DEFAULT_ACCOUNTS[0].privateKeys[0] });
    await saveTrackSettings(shop.id, { goLive: true, enabledEvents: EVENT_CATALOG.map((event) => event.key) });
    await receiveWebhook(signedWebhookRequest("https://waypost.test/webhooks", orderStory({ orderId: 8001 })[0]));
    await processPendingReceipts();
    double.state.faults = { errorRate: 0, latencyMs: 0, forced: { status: 400, remaining: 100 } };
    await sendDueEvents();
    const failed = await prisma.trackingEvent.findFirstOrThrow({ where: { shopId: shop.id, eventKey: "placed_order" } });
    expect(failed.status).toBe("dead_lettered");

    const replay = async (asShopDomain: string) =>
      activity.action({ request: await asShop(asShopDomain, "/app/activity", { intent: "replay", eventId: failed.id }), params: {}, context: {} });
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
      eventDetail.loader({ request: await asShop(shopDomain, `/app/activity/${failed.id}`), params: { eventId: failed.id }, context: {} });
    const detail = await (await detailAs(TEST_SHOP)).json();
    expect(detail.event.attemptLog.map((attempt: { httpStatus: number; outcome: string }) => `${attempt.httpStatus} ${attempt.outcome}`)).toEqual([
      "400 failed",
      "202 sent",
    ]);
    expect(JSON.parse(detail.event.payload ?? "null").data.attributes.unique_id).toBe(failed.uniqueKey);
    await expect(detailAs(OTHER_SHOP)).rejects.toMatchObject({ status: 404 });
  });

  it("counts the shop's own events on the dashboard, by status and event, for 24 hours and 7 days", async () => {
    const mine = await prisma.shop.findUniqueOrThrow({ where: { domain: TEST_SHOP } });
    const theirs = await prisma.shop.findUniqueOrThrow({ where: { domain: OTHER_SHOP } });
    const daysAgo = (days: number) => new Date(Date.now() - days * 24 * 60 * 60_000);
    const rows: Array<[string, string, string, Date]> = [
      [mine.id, "delivered", "sent", daysAgo(0.1)],
      [mine.id, "delivered", "dead_lettered", daysAgo(3)],
      [mine.id, "in_transit", "skipped", daysAgo(0.5)],
      [mine.id, "in_transit", "sent", daysAgo(10)],
      [theirs.id, "delivered", "sent", daysAgo(0.1)],
    ];
    for (const [index, [shopId, eventKey, status, detectedAt]] of rows.entries()) {
      await prisma.trackingEvent.create({ data: { shopId, uniqueKey: `c-${index}`, eventKey, orderId: "1", status, detectedAt } });
    }
    const data = await (await dashboard.loader({ request: await asShop(TEST_SHOP, "/app"), params: {}, context: {} })).json();
    expect(data.events.lastDay.byStatus).toEqual({ sent: 1, skipped: 1 });
    expect(data.events.lastWeek.byStatus).toEqual({ sent: 1, dead_lettered: 1, skipped: 1 });
    expect(data.events.lastWeek.byEvent).toEqual({ delivered: { sent: 1, dead_lettered: 1 }, in_transit: { skipped: 1 } });
  });

  it("filters Activity by status, event, order, email, tracking number and days in the shop's time zone; never shows another shop's", async () => {
    const mine = await prisma.shop.update({ where: { domain: TEST_SHOP }, data: { timezone: "America/New_York" } });
    const theirs = await prisma.shop.findUniqueOrThrow({ where: { domain: OTHER_SHOP } });
    const rows = [
      { shopId: mine.id, orderName: "#1", status: "sent", eventKey: "delivered", customerEmail: "ann@example.com", trackingNumber: "1ZA", detectedAt: new Date("2026-11-20T15:00:00Z") },
      { shopId: mine.id, orderName: "#2", status: "dead_lettered", eventKey: "out_for_delivery", customerEmail: "bob@example.com", trackingNumber: "1ZB", detectedAt: new Date("2026-11-21T04:59:00Z") },
      { shopId: mine.id, orderName: "#3", status: "skipped", eventKey: "delivered", customerEmail: "ann@example.com", trackingNumber: null, detectedAt: new Date("2026-11-21T05:00:00Z") },
      { shopId: theirs.id, orderName: "#1", status: "sent", eventKey: "delivered", customerEmail: "ann@example.com", trackingNumber: "1ZA", detectedAt: new Date("2026-11-20T15:00:00Z") },
    ];
    for (const [index, row] of rows.entries()) {
      await prisma.trackingEvent.create({ data: { ...row, uniqueKey: `f-${index}`, orderId: row.orderName.slice(1) } });
    }
    const list = async (query: string, shop = TEST_SHOP) =>
      (await (await activity.loader({ request: await asShop(shop, `/app/activity?${query}`), params: {}, context: {} })).json()).events.map(
        (event: { orderName: string | null }) => event.orderName,
      );
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
      (await activity.loader({ request: await asShop(shop, `/app/activity?${query}`), params: {}, context: {} })).json();
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
    expect(theirsPage.events.every((event: { orderName: string | null }) => Number(event.orderName?.slice(1)) % 2 === 0)).toBe(true);
  });

  it("replays all of a shop's dead letters, and another shop's replay-all touches none of them", async () => {
    const mine = await prisma.shop.findUniqueOrThrow({ where: { domain: TEST_SHOP } });
    for (const [index, eventKey] of ["delivered", "delivered", "in_transit"].entries()) {
      await prisma.trackingEvent.create({ data: { shopId: mine.id, uniqueKey: `d-${index}`, eventKey, orderId: "1", status: "dead_lettered", payload: "{}" } });
    }
    const replayAll = async (shop: string, form: Record<string, string> = {}) =>
      (await activity.action({ request: await asShop(shop, "/app/activity", { intent: "replay_all", ...form }), params: {}, context: {} })).json();
    expect(await replayAll(OTHER_SHOP)).toEqual({ replayed: 0, error: null });
    expect(await prisma.trackingEvent.count({ where: { status: "dead_lettered" } })).toBe(3);
    expect(await replayAll(TEST_SHOP, { eventKey: "delivered" })).toEqual({ replayed: 2, error: null });
    expect(await replayAll(TEST_SHOP)).toEqual({ replayed: 1, error: null });
    expect(await prisma.trackingEvent.count({ where: { status: "queued", shopId: mine.id } })).toBe(3);
  });
});

describe("send a test event", () => {
  const sendTest = async (shop: string, form: Record<string, string>) =>
    (await (await trackSettings.action({ request: await asShop(shop, "/app/track-settings", { intent: "test_event", ...form }), params: {}, context: {} })).json()) as {
      test: { ok: boolean } & Record<string, unknown>;
    };

  it("sends a sample of an enabled event to the shop's own Klaviyo only, and shows Klaviyo's answer", async () => {
    await integrationAction(TEST_SHOP, { intent: "private_key", apiKey: DEFAULT_ACCOUNTS[0].privateKeys[0] });
    await saveSettings(TEST_SHOP, { goLive: "off", enabledEvents: ["out_for_delivery"] });

    const refused = await sendTest(TEST_SHOP, { eventKey: "delivered", email: "me@example.com" });
    expect(refused.test).toEqual({ ok: false, message: "Turn that event on and save before sending a test." });
    expect((await sendTest(TEST_SHOP, { eventKey: "out_for_delivery", email: "not an email" })).test.ok).toBe(false);
    expect((await sendTest(OTHER_SHOP, { eventKey: "placed_order", email: "me@example.com" })).test).toMatchObject({
      ok: false,
      message: "Connect Klaviyo first, on the Integrations page.",
    });

    const accepted = await sendTest(TEST_SHOP, { eventKey: "out_for_delivery", email: "me@example.com" });
    expect(accepted.test).toMatchObject({ ok: true, metric: "Out for Delivery", email: "me@example.com", status: 202 });
    expect(double.state.events.map((event) => [event.accountId, event.metric, event.profile.email, event.properties.waypost_test_event])).toEqual([
      ["KDEMO1", "Out for Delivery", "me@example.com", true],
    ]);
    expect(await prisma.trackingEvent.count()).toBe(0);
    const dashboardOf = async (shop: string) => (await dashboard.loader({ request: await asShop(shop, "/app"), params: {}, context: {} })).json();
    expect((await dashboardOf(TEST_SHOP)).testEventAccepted).toBe(true);
    expect((await dashboardOf(OTHER_SHOP)).testEventAccepted).toBe(false);

    double.state.faults = { errorRate: 0, latencyMs: 0, forced: { status: 400, remaining: 1 } };
    const failed = await sendTest(TEST_SHOP, { eventKey: "out_for_delivery", email: "me@example.com" });
    expect(failed.test).toEqual({ ok: false, metric: "Out for Delivery", email: "me@example.com", status: 400, message: "Klaviyo answered HTTP 400: Fault injected by the test" });
  });
});

describe("bad input to settings and integrations", () => {
  it("refuses an unknown event or a malformed Go Live with 400, saving nothing", async () => {
    expect((await saveSettings(TEST_SHOP, { goLive: "on", enabledEvents: ["launch_rockets"] })).status).toBe(400);
    expect((await saveSettings(TEST_SHOP, { goLive: "maybe", enabledEvents: [] })).status).toBe(400);
    expect((await settingsOf(TEST_SHOP)).goLive).toBe(false);
  });

  it("refuses an unknown integration action with 400", async () => {
    expect((await integrationAction(TEST_SHOP, { intent: "delete_everything" })).status).toBe(400);
  });

  it("explains a rejected private key to the merchant", async () => {
    const response = await integrationAction(TEST_SHOP, { intent: "private_key", apiKey: "pk_wrongwrongwrongwrongwrong" });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error?: string }).error).toContain("did not accept this private API key");
  });
});
