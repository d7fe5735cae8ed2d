import { beforeEach, describe, expect, it } from "vitest";
import { adminRequest } from "../../e2e/support/admin-session";
import { resetDatabase, seedShop, useKlaviyoDouble } from "../../e2e/support/integration";
import { OTHER_SHOP, TEST_SHOP } from "../../e2e/support/test-config";
import { prisma } from "../db.server";
import { DEFAULT_ACCOUNTS } from "../demo/doubles/klaviyo/server";
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
    expect(await prisma.trackingEvent.count()).toBe(0);
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
  });
});

describe("bad input to Track Settings", () => {
  it("refuses an unknown event or a malformed Go Live with 400, saving nothing", async () => {
    expect((await saveSettings(TEST_SHOP, { goLive: "on", enabledEvents: ["launch_rockets"] })).status).toBe(400);
    expect((await saveSettings(TEST_SHOP, { goLive: "maybe", enabledEvents: [] })).status).toBe(400);
    expect((await settingsOf(TEST_SHOP)).goLive).toBe(false);
  });
});
