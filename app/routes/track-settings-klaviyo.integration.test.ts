import { beforeEach, describe, expect, it } from "vitest";
import { adminRequest } from "../../e2e/support/admin-session";
import { resetDatabase, seedShop, useKlaviyoDouble } from "../../e2e/support/integration";
import { OTHER_SHOP, TEST_SHOP } from "../../e2e/support/test-config";
import { prisma } from "../db.server";
import { seedAccount } from "../demo/doubles/klaviyo/server";
import * as trackSettings from "./app.track-settings";

// Track Settings reads the merchant's Klaviyo (Get Metrics with flow-triggers, over real HTTP to
// the double) to show the flows beside each toggle, keep Klaviyo's own Shopify metrics unshadowed,
// and create the metrics before the first order.

const double = useKlaviyoDouble();

beforeEach(async () => {
  await resetDatabase();
});

type Loaded = Awaited<ReturnType<Awaited<ReturnType<typeof trackSettings.loader>>["json"]>>;
const settingsOf = async (shop: string): Promise<Loaded> =>
  (
    await trackSettings.loader({ request: await adminRequest(shop, "/app/track-settings"), params: {}, context: {} })
  ).json();
// Each intent answers its own shape; the tests read the members they assert on.
const act = async (
  shop: string,
  form: Record<string, string | string[]>,
): Promise<Record<string, unknown> & { error?: string | null }> =>
  (
    await trackSettings.action({
      request: await adminRequest(shop, "/app/track-settings", form),
      params: {},
      context: {},
    })
  ).json();
const enabledOf = (loaded: Loaded, key: string) => loaded.events.find((event) => event.key === key)?.enabled;
const metricReads = () => double.state.summary().peaks["KDEMO1:metrics"]?.perMinute ?? 0;
/** An event of Waypost's metric at the double, as any earlier send would have left it. */
const receivedBefore = async (metric: string) => {
  double.state.recordEvent({
    accountId: "KDEMO1",
    metric,
    profile: { email: "earlier@example.com" },
    properties: {},
    receivedAt: "2026-11-01T10:00:00Z",
    via: "events",
  });
};

describe("flows beside each toggle", () => {
  it("shows each event's flows with status and a link into Klaviyo, and says when an enabled event drives no live flow", async () => {
    await seedShop({ domain: TEST_SHOP, connected: true });
    await receivedBefore("Out for Delivery");
    await receivedBefore("Delivered");
    seedAccount(double.state, {
      flows: [
        {
          id: "FLOW01",
          accountId: "KDEMO1",
          name: "Out for delivery SMS",
          status: "live",
          triggerMetric: "Out for Delivery",
        },
        {
          id: "FLOW02",
          accountId: "KDEMO1",
          name: "Delivered review ask",
          status: "draft",
          triggerMetric: "Delivered",
        },
        {
          id: "FLOW03",
          accountId: "KDEMO1",
          name: "Old one",
          status: "live",
          archived: true,
          triggerMetric: "Delivered",
        },
      ],
    });

    const loaded = await settingsOf(TEST_SHOP);
    const { byEvent, flowBuilderUrl, error } = loaded.klaviyoFacts;
    expect(error).toBeNull();
    expect(byEvent.out_for_delivery).toMatchObject({
      metricPresent: true,
      liveFlows: 1,
      flows: [{ id: "FLOW01", name: "Out for delivery SMS", status: "live", url: `${double.url}/flow/FLOW01/edit` }],
      shopifyMetricId: null,
    });
    // The archived flow is not shown; the draft one is, and no live flow drives Delivered.
    expect(byEvent.delivered).toMatchObject({ liveFlows: 0, flows: [{ id: "FLOW02", status: "draft" }] });
    expect(byEvent.in_transit).toMatchObject({ metricPresent: false, flows: [], liveFlows: 0 });
    expect(flowBuilderUrl).toBe(`${double.url}/flows/create`);
    expect((await fetch(byEvent.out_for_delivery!.flows[0].url)).status).toBe(200);
  });

  it("reads Klaviyo once per few minutes per account, whichever shop asks, and again when asked to refresh", async () => {
    await seedShop({ domain: TEST_SHOP, connected: true });
    await seedShop({ domain: OTHER_SHOP, connected: true });
    await settingsOf(TEST_SHOP);
    await settingsOf(OTHER_SHOP);
    await settingsOf(TEST_SHOP);
    expect(metricReads()).toBe(1);

    seedAccount(double.state, {
      flows: [{ id: "FLOW09", accountId: "KDEMO1", name: "New", status: "live", triggerMetric: "Placed Order" }],
    });
    await receivedBefore("Placed Order");
    expect(await act(TEST_SHOP, { intent: "refresh_klaviyo" })).toEqual({ refreshed: true, error: null });
    expect(metricReads()).toBe(2);
    expect((await settingsOf(OTHER_SHOP)).klaviyoFacts.byEvent.placed_order?.liveFlows).toBe(1);
  });

  it("tells the merchant when Klaviyo refuses the read, and keeps delivering events", async () => {
    await seedShop({ domain: TEST_SHOP, connected: true });
    double.state.faults = { errorRate: 0, latencyMs: 0, forced: { status: 403, remaining: 1 } };
    const refused = await settingsOf(TEST_SHOP);
    expect(refused.klaviyoFacts).toMatchObject({ available: false, byEvent: {} });
    expect(refused.klaviyoFacts.error).toMatch(/metrics:read, flows:read\). Reconnect Klaviyo/);
    const connection = await prisma.klaviyoConnection.findFirstOrThrow();
    expect(connection.status).toBe("connected");

    double.state.faults = { errorRate: 0, latencyMs: 0, forced: { status: 429, remaining: 1, retryAfterSeconds: 30 } };
    expect((await act(TEST_SHOP, { intent: "refresh_klaviyo" })).error).toMatch(/slow down/);
    // While the lane waits out the Retry-After, a page load asks Klaviyo nothing.
    const readsBefore = metricReads();
    expect((await settingsOf(TEST_SHOP)).klaviyoFacts.error).toMatch(/read limit for this account is used up/);
    expect(metricReads()).toBe(readsBefore);
    // The 429 paused the read lane only; the events lane was never touched.
    const lanes = await prisma.deliveryLane.findMany();
    expect(lanes.map((lane) => [lane.key, Boolean(lane.pausedUntil)])).toEqual([["KDEMO1:metrics", true]]);
  });

  it("still loads, saying so, when the stored Klaviyo credential no longer opens", async () => {
    await seedShop({ domain: TEST_SHOP, connected: true });
    await prisma.klaviyoConnection.updateMany({ data: { sealedAccessToken: "not-sealed-by-this-key" } });
    const loaded = await settingsOf(TEST_SHOP);
    expect(loaded.klaviyoFacts).toMatchObject({ available: false, byEvent: {} });
    expect(loaded.klaviyoFacts.error).toMatch(/could not read from Klaviyo just now.*reconnect Klaviyo/);
    expect(loaded.events.length).toBeGreaterThan(0);
    expect(metricReads()).toBe(0);
  });

  it("shows nothing from Klaviyo to a shop that is not connected, and asks it nothing", async () => {
    await seedShop({ domain: TEST_SHOP });
    expect((await settingsOf(TEST_SHOP)).klaviyoFacts).toMatchObject({ available: false, error: null, byEvent: {} });
    expect(metricReads()).toBe(0);
  });
});

describe("never shadow Klaviyo's own Shopify integration", () => {
  it("keeps Waypost's twin of a Shopify-integration metric off by default, says why, and never overrides the merchant", async () => {
    await seedShop({ domain: TEST_SHOP, connected: true });
    await seedShop({ domain: OTHER_SHOP, connected: "KOTHER" });
    seedAccount(double.state, {
      shopifyMetrics: [
        { accountId: "KDEMO1", name: "Placed Order" },
        { accountId: "KDEMO1", name: "Ordered Product" },
      ],
      flows: [
        {
          id: "SHOPFLOW",
          accountId: "KDEMO1",
          name: "Shopify thank-you",
          status: "live",
          triggerMetric: "Placed Order",
          onShopifyMetric: true,
        },
      ],
    });

    const loaded = await settingsOf(TEST_SHOP);
    expect(loaded.klaviyoFacts.turnedOff).toEqual(["placed_order", "ordered_product"]);
    expect(enabledOf(loaded, "placed_order")).toBe(false);
    expect(enabledOf(loaded, "ordered_product")).toBe(false);
    expect(enabledOf(loaded, "order_shipped")).toBe(true);
    // The Shopify metric's flow is Klaviyo's integration's, not Waypost's metric's.
    expect(loaded.klaviyoFacts.byEvent.placed_order).toMatchObject({ metricPresent: false, flows: [] });
    expect(loaded.klaviyoFacts.byEvent.placed_order?.shopifyMetricId).toMatch(/^[\w-]{6}$/);
    // Another account's shop keeps its defaults.
    expect(enabledOf(await settingsOf(OTHER_SHOP), "placed_order")).toBe(true);

    // The merchant turns it back on: that choice stands on every later read.
    const enabledNow = loaded.events.filter((event) => event.enabled).map((event) => event.key);
    await act(TEST_SHOP, { goLive: "off", enabledEvents: [...enabledNow, "placed_order"] });
    await act(TEST_SHOP, { intent: "refresh_klaviyo" });
    const later = await settingsOf(TEST_SHOP);
    expect(later.klaviyoFacts.turnedOff).toEqual([]);
    expect(enabledOf(later, "placed_order")).toBe(true);
    expect(enabledOf(later, "ordered_product")).toBe(false);
  });
});

describe("create these metrics in Klaviyo", () => {
  it("sends one backfill sample of each enabled event for the named profile, then shows each metric present", async () => {
    await seedShop({ domain: TEST_SHOP, connected: true, events: ["placed_order", "order_shipped", "delivered"] });
    expect((await settingsOf(TEST_SHOP)).klaviyoFacts.byEvent.delivered?.metricPresent).toBe(false);

    const { createMetrics } = await act(TEST_SHOP, { intent: "create_metrics", email: "flows@example.com" });
    expect(createMetrics).toEqual({
      ok: true,
      email: "flows@example.com",
      sent: 3,
      metrics: [
        { metric: "Placed Order", present: true },
        { metric: "Order Shipped", present: true },
        { metric: "Delivered", present: true },
      ],
    });
    expect(
      double.state.events.map((event) => [
        event.metric,
        event.via,
        event.backfill,
        event.profile.email,
        event.properties.waypost_test_event,
      ]),
    ).toEqual([
      ["Placed Order", "bulk", true, "flows@example.com", true],
      ["Order Shipped", "bulk", true, "flows@example.com", true],
      ["Delivered", "bulk", true, "flows@example.com", true],
    ]);
    expect((await settingsOf(TEST_SHOP)).klaviyoFacts.byEvent.delivered?.metricPresent).toBe(true);
    // Samples are not the shop's events: nothing in Activity.
    expect(await prisma.trackingEvent.count()).toBe(0);
  });

  it("refuses a missing email and a shop with no Klaviyo, in words a merchant understands, sending nothing", async () => {
    await seedShop({ domain: TEST_SHOP, connected: true });
    await seedShop({ domain: OTHER_SHOP });
    const badEmail = await trackSettings.action({
      request: await adminRequest(TEST_SHOP, "/app/track-settings", { intent: "create_metrics", email: "nope" }),
      params: {},
      context: {},
    });
    expect(badEmail.status).toBe(400);
    expect(((await badEmail.json()) as Record<string, unknown>).createMetrics).toEqual({
      ok: false,
      message: "Enter the email address of a test profile.",
    });
    expect((await act(OTHER_SHOP, { intent: "create_metrics", email: "me@example.com" })).createMetrics).toEqual({
      ok: false,
      message: "Connect Klaviyo first, on the Integrations page.",
    });
    expect(double.state.events).toHaveLength(0);
  });
});
