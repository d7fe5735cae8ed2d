import { beforeEach, describe, expect, it } from "vitest";
import { adminRequest } from "../../e2e/support/admin-session";
import { resetDatabase, seedShop, useKlaviyoDouble } from "../../e2e/support/integration";
import { OTHER_SHOP, TEST_SHOP } from "../../e2e/support/test-config";
import { prisma } from "../db.server";
import { DEFAULT_ACCOUNTS } from "../demo/doubles/klaviyo/server";
import * as adminLayout from "./app";
import * as integrations from "./app.integrations";
import * as trackSettings from "./app.track-settings";

// One shop's admin never reads or changes another shop's settings or connection. (Each page's
// own file checks the same for its data: activity, dashboard, track-settings, integrations.)
useKlaviyoDouble();

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
const integrationsOf = async (shop: string) =>
  (
    await integrations.loader({ request: await adminRequest(shop, "/app/integrations"), params: {}, context: {} })
  ).json();
const integrationAction = async (shop: string, form: Record<string, string>) =>
  integrations.action({ request: await adminRequest(shop, "/app/integrations", form), params: {}, context: {} });

describe("tenant isolation", () => {
  it("a shop's settings change only that shop, and survive a reload", async () => {
    const response = await saveSettings(TEST_SHOP, { goLive: "on", enabledEvents: ["delivered", "out_for_delivery"] });
    expect(response.status).toBe(200);

    const mine = await settingsOf(TEST_SHOP);
    expect(mine.goLive).toBe(true);
    expect(
      mine.events
        .filter((event: { enabled: boolean }) => event.enabled)
        .map((event: { key: string }) => event.key)
        .sort(),
    ).toEqual(["delivered", "out_for_delivery"]);
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

  it("is shown on every admin page of that shop, and only that shop", async () => {
    await integrationAction(TEST_SHOP, { intent: "private_key", apiKey: DEFAULT_ACCOUNTS[0].privateKeys[0] });
    await prisma.klaviyoConnection.updateMany({ data: { status: "needs_reconnect" } });
    const layoutOf = async (shop: string) =>
      (
        await adminLayout.loader({ request: await adminRequest(shop, "/app/activity"), params: {}, context: {} })
      ).json();
    expect((await layoutOf(TEST_SHOP)).needsReconnect).toBe(true);
    expect((await layoutOf(OTHER_SHOP)).needsReconnect).toBe(false);
  });
});
