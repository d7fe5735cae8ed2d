import { beforeEach, describe, expect, it } from "vitest";
import { adminRequest } from "../../e2e/support/admin-session";
import { resetDatabase, seedShop, useKlaviyoDouble } from "../../e2e/support/integration";
import { OTHER_SHOP, TEST_SHOP } from "../../e2e/support/test-config";
import { DEFAULT_ACCOUNTS } from "../demo/doubles/klaviyo/server";
import { signedWebhookRequest } from "../../e2e/support/webhook-signer";
import { prisma } from "../db.server";
import { validateKlaviyoRequest } from "../demo/contracts/klaviyo-openapi.server";
import { scanForDelays } from "../jobs/delay-scan.server";
import { processPendingReceipts } from "../jobs/receipt-worker.server";
import { orderStory } from "../platform/sample-order";
import { receiveWebhook } from "../platform/webhook-ingest.server";
import { activityUrl } from "../tracking/activity-link";
import { EVENT_CATALOG } from "../tracking/event-catalog";
import * as activity from "./app.activity";
import * as dashboard from "./app._index";
import * as integrations from "./app.integrations";
import * as trackSettings from "./app.track-settings";

const double = useKlaviyoDouble();

beforeEach(async () => {
  await resetDatabase();
  await seedShop({ domain: TEST_SHOP, name: TEST_SHOP });
  await seedShop({ domain: OTHER_SHOP, name: OTHER_SHOP });
});

const settingsOf = async (shop: string) =>
  (
    await trackSettings.loader({ request: await adminRequest(shop, "/app/track-settings"), params: {}, context: {} })
  ).json();
const saveSettings = async (shop: string, form: Record<string, string | string[]>) =>
  trackSettings.action({ request: await adminRequest(shop, "/app/track-settings", form), params: {}, context: {} });
const integrationAction = async (shop: string, form: Record<string, string>) =>
  integrations.action({ request: await adminRequest(shop, "/app/integrations", form), params: {}, context: {} });

describe("send a test event", () => {
  const sendTest = async (shop: string, form: Record<string, string>) =>
    (await (
      await trackSettings.action({
        request: await adminRequest(shop, "/app/track-settings", { intent: "test_event", ...form }),
        params: {},
        context: {},
      })
    ).json()) as {
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
    expect(
      double.state.events.map((event) => [
        event.accountId,
        event.metric,
        event.profile.email,
        event.properties.waypost_test_event,
      ]),
    ).toEqual([["KDEMO1", "Out for Delivery", "me@example.com", true]]);
    // Listed in Activity as a test, with Klaviyo's answer; the Dashboard's live counts leave it out.
    const listed = async (query = "source=test") =>
      (
        await (
          await activity.loader({
            request: await adminRequest(TEST_SHOP, `/app/activity?${query}`),
            params: {},
            context: {},
          })
        ).json()
      ).events.map((event: { eventKey: string; status: string; source: string | null }) => [
        event.eventKey,
        event.status,
        event.source,
      ]);
    expect(await listed()).toEqual([["out_for_delivery", "sent", "test"]]);
    expect(await listed("source=live")).toEqual([]);
    const dashboardOf = async (shop: string) =>
      (await dashboard.loader({ request: await adminRequest(shop, "/app"), params: {}, context: {} })).json();
    expect((await dashboardOf(TEST_SHOP)).testEventAccepted).toBe(true);
    expect((await dashboardOf(OTHER_SHOP)).testEventAccepted).toBe(false);

    double.state.faults = { errorRate: 0, latencyMs: 0, forced: { status: 400, remaining: 1 } };
    const failed = await sendTest(TEST_SHOP, { eventKey: "out_for_delivery", email: "me@example.com" });
    expect(failed.test).toEqual({
      ok: false,
      metric: "Out for Delivery",
      email: "me@example.com",
      status: 400,
      message: "Klaviyo answered HTTP 400: Fault injected by the test",
    });
    // Refused, it is a dead letter marked as a test; neither counts as the store's live sends.
    expect((await listed())[0]).toEqual(["out_for_delivery", "dead_lettered", "test"]);
    const counts = (await dashboardOf(TEST_SHOP)).events.lastDay.byStatus;
    expect(counts).toEqual({});
  });
});

describe("beside each toggle", () => {
  it("shows each event's live counts of the last 7 days and the exact body the payload builder makes from the sample order", async () => {
    const shop = await prisma.shop.findUniqueOrThrow({ where: { domain: TEST_SHOP } });
    const hoursAgo = (hours: number) => new Date(Date.now() - hours * 60 * 60_000);
    const rows: Array<[string, string, Date, string?]> = [
      ["delivered", "sent", hoursAgo(1)],
      ["delivered", "sent", hoursAgo(30)],
      ["delivered", "dead_lettered", hoursAgo(2)],
      ["delivered", "sent", hoursAgo(24 * 8)],
      ["delivered", "sent", hoursAgo(1), "imported"],
      ["in_transit", "skipped", hoursAgo(3)],
    ];
    for (const [index, [eventKey, status, occurredAt, source]] of rows.entries())
      await prisma.trackingEvent.create({
        data: { shopId: shop.id, uniqueKey: `i-${index}`, eventKey, orderId: "1", status, occurredAt, source },
      });
    const data = await settingsOf(TEST_SHOP);
    expect(data.insights.events.delivered).toEqual({ sent: 2, skipped: 0, failed: 1 });
    expect(data.insights.events.in_transit).toEqual({ sent: 0, skipped: 1, failed: 0 });
    expect(data.insights.events.placed_order).toEqual({ sent: 0, skipped: 0, failed: 0 });
    // The preview is a Create Event body Klaviyo's OpenAPI accepts, with the event's real metric and no test marker.
    for (const event of EVENT_CATALOG) {
      const body = JSON.parse(data.previews[event.key] ?? "null");
      expect(body.data.attributes.metric.data.attributes.name).toBe(event.metric);
      expect(body.data.attributes.properties.waypost_test_event).toBeUndefined();
      expect(validateKlaviyoRequest("POST", "/api/events", body)).toEqual({ ok: true });
    }
    // The counts open exactly their rows.
    const listed = await (
      await activity.loader({
        request: await adminRequest(
          TEST_SHOP,
          activityUrl({ event: "delivered", status: "sent", source: "live", since: data.insights.since }),
        ),
        params: {},
        context: {},
      })
    ).json();
    expect(listed.events).toHaveLength(2);
  });
});

describe("the no-scan delay threshold", () => {
  it("is the shop's own from Track Settings (the default stays no choice), refused out of range, and the delay scan reads it", async () => {
    await seedShop({ domain: TEST_SHOP, name: TEST_SHOP, connected: true, goLive: true });
    const form = (days: string) => ({ goLive: "on", enabledEvents: ["shipment_delayed"], shipmentDelayDays: days });
    const { shipmentDelayDefault } = await settingsOf(TEST_SHOP);
    for (const bad of ["0", "31", "2.5", "soon", ""]) {
      const refused = await saveSettings(TEST_SHOP, form(bad));
      expect(refused.status, bad).toBe(400);
      expect(((await refused.json()) as { delayError?: string }).delayError).toBe(
        "Enter a whole number of days from 1 to 30.",
      );
    }
    expect((await settingsOf(TEST_SHOP)).shipmentDelayDays).toBe(shipmentDelayDefault);
    expect((await saveSettings(TEST_SHOP, form(String(shipmentDelayDefault)))).status).toBe(200);
    expect((await prisma.shop.findUniqueOrThrow({ where: { domain: TEST_SHOP } })).shipmentDelayDays).toBeNull();
    expect((await saveSettings(TEST_SHOP, form("2"))).status).toBe(200);
    expect((await settingsOf(TEST_SHOP)).shipmentDelayDays).toBe(2);

    // Both shops shipped on Nov 21 and heard nothing since; three days later only the 2-day shop calls it late.
    for (const [shop, orderId] of [
      [TEST_SHOP, 5001],
      [OTHER_SHOP, 5002],
    ] as const)
      for (const webhook of orderStory({ orderId }).slice(0, 3))
        await receiveWebhook(signedWebhookRequest("https://waypost.test/webhooks", { ...webhook, shop }));
    while ((await processPendingReceipts()) > 0);
    expect(await scanForDelays(new Date("2026-11-24T09:00:00-05:00"), 4)).toBe(1);
    const delayed = await prisma.trackingEvent.findMany({
      where: { eventKey: "shipment_delayed" },
      include: { shop: true },
    });
    expect(delayed.map((event) => event.shop.domain)).toEqual([TEST_SHOP]);
  });
});

describe("bad input to Track Settings", () => {
  it("refuses an unknown event or a malformed Go Live with 400, saving nothing", async () => {
    expect((await saveSettings(TEST_SHOP, { goLive: "on", enabledEvents: ["launch_rockets"] })).status).toBe(400);
    expect((await saveSettings(TEST_SHOP, { goLive: "maybe", enabledEvents: [] })).status).toBe(400);
    expect((await settingsOf(TEST_SHOP)).goLive).toBe(false);
  });
});
