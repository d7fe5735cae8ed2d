import { beforeEach, describe, expect, it } from "vitest";
import { adminRequest } from "../../e2e/support/admin-session";
import { eventBody } from "../../e2e/support/delivery-fixtures";
import { resetDatabase, seedShop, useKlaviyoDouble } from "../../e2e/support/integration";
import { TEST_SHOP } from "../../e2e/support/test-config";
import { prisma } from "../db.server";
import { DEFAULT_ACCOUNTS } from "../demo/doubles/klaviyo/server";
import { KlaviyoApi } from "../klaviyo/api-client.server";
import { calendarDaysUntil } from "../tracking/tracking-events.server";
import * as dashboard from "./app._index";

// Klaviyo confirms receipt: the Dashboard reads Klaviyo's daily counts (Query Metric Aggregates,
// over real HTTP to the double, by day in the store's time zone) and sets them beside Waypost's.

const double = useKlaviyoDouble();
const ZONE = "America/New_York";

beforeEach(async () => {
  await resetDatabase();
});

const dashboardOf = async () =>
  (await dashboard.loader({ request: await adminRequest(TEST_SHOP, "/app"), params: {}, context: {} })).json();
const checkWithKlaviyo = async () =>
  (
    await dashboard.action({
      request: await adminRequest(TEST_SHOP, "/app", { intent: "check_klaviyo_counts" }),
      params: {},
      context: {},
    })
  ).json() as Promise<{ receiptError?: string | null }>;
const aggregateCalls = () => double.state.summary().peaks["KDEMO1:aggregates"]?.perMinute ?? 0;

let sequence = 0;
/** An event Waypost sent (its history row) and Klaviyo received (the same body at the double). */
async function sentByWaypost(shopId: string, eventKey: string, metric: string, happenedAt: Date, status = "sent") {
  const uniqueId = `receipt-${sequence++}`;
  const body = eventBody(uniqueId, metric);
  body.data.attributes.time = happenedAt.toISOString();
  await prisma.trackingEvent.create({
    data: {
      shopId,
      uniqueKey: uniqueId,
      eventKey,
      orderId: "1",
      status,
      happenedAt,
      detectedAt: happenedAt,
      sentAt: status === "sent" ? new Date(happenedAt.getTime() + 1000) : null,
      payload: JSON.stringify(body),
    },
  });
  if (status === "sent") await otherSource(body);
}
const otherSource = async (body: unknown) => {
  const outcome = await new KlaviyoApi({
    baseUrl: double.url,
    revision: "2026-07-15",
    credential: { method: "private_key", apiKey: DEFAULT_ACCOUNTS[0].privateKeys[0] },
  }).createEvent(body);
  expect(outcome.ok).toBe(true);
};

describe("Klaviyo confirms receipt", () => {
  it("shows Klaviyo's daily counts beside Waypost's in the store's time zone, marks matching days, and names the cause of each difference", async () => {
    const shop = await seedShop({
      domain: TEST_SHOP,
      connected: true,
      events: ["delivered", "in_transit", "placed_order"],
    });
    await prisma.shop.update({ where: { id: shop.id }, data: { timezone: ZONE } });
    const now = new Date();
    const days = calendarDaysUntil(now, ZONE, 7);
    const noonOn = (day: string) => new Date(Date.parse(`${day}T12:00:00-05:00`));
    // 23:30 in New York is the next day in UTC: Klaviyo must count it on the store's day.
    const lateEvening = new Date(Date.parse(`${days[4]}T23:30:00-05:00`));

    await sentByWaypost(shop.id, "delivered", "Delivered", noonOn(days[3]));
    await sentByWaypost(shop.id, "delivered", "Delivered", noonOn(days[3]));
    await sentByWaypost(shop.id, "delivered", "Delivered", lateEvening);
    await sentByWaypost(shop.id, "in_transit", "In Transit", noonOn(days[2]));
    await sentByWaypost(shop.id, "in_transit", "In Transit", noonOn(days[2]), "queued");
    // Someone else sends a Delivered of their own to the same account.
    const foreign = eventBody("someone-else", "Delivered");
    foreign.data.attributes.time = noonOn(days[5]).toISOString();
    await otherSource(foreign);

    // Nothing is asked of Klaviyo until the merchant asks.
    const before = await dashboardOf();
    expect(before.klaviyoReceipt).toMatchObject({ connected: true, events: [] });
    expect(aggregateCalls()).toBe(0);

    expect(await checkWithKlaviyo()).toEqual({ receiptError: null });
    expect(aggregateCalls()).toBe(2);
    const { klaviyoReceipt } = await dashboardOf();
    expect(klaviyoReceipt.days).toEqual(days);
    expect(klaviyoReceipt.notInKlaviyo).toEqual(["Placed Order"]);
    const byEvent = Object.fromEntries(klaviyoReceipt.events.map((event) => [event.eventKey, event]));

    const delivered = byEvent.delivered;
    expect(delivered.days.map((day) => [day.waypost, day.klaviyo])).toEqual([
      [0, 0],
      [0, 0],
      [0, 0],
      [2, 2],
      [1, 1],
      [0, 1],
      [0, 0],
    ]);
    expect(delivered.matching).toBe(false);
    expect(delivered.mismatchedDays).toEqual([days[5]]);
    expect(delivered.days[5].cause).toBe("another_source");

    const inTransit = byEvent.in_transit;
    expect(inTransit.days[2]).toMatchObject({
      waypost: 1,
      pending: 1,
      klaviyo: 1,
      matches: false,
      cause: "still_queued",
    });
    expect(inTransit.mismatchedDays).toEqual([days[2]]);

    // A later look shows the kept answer and asks Klaviyo nothing.
    await dashboardOf();
    expect(aggregateCalls()).toBe(2);
  });

  it("stays within Query Metric Aggregates' limits for an account however often the merchant asks", async () => {
    await seedShop({
      domain: TEST_SHOP,
      connected: true,
      events: ["placed_order", "ordered_product", "order_shipped", "delivered", "out_for_delivery"],
    });
    for (const metric of ["Placed Order", "Ordered Product", "Order Shipped", "Delivered", "Out for Delivery"])
      await otherSource(eventBody(`seed-${metric}`, metric));
    for (let ask = 0; ask < 3; ask++) await checkWithKlaviyo();
    const peak = double.state.summary().peaks["KDEMO1:aggregates"];
    expect(peak.perMinute).toBeGreaterThanOrEqual(10);
    expect(peak.perSecond).toBeLessThanOrEqual(3);
    // The double answers 429 past 3/s or 60/min: none came, so every read got an answer.
    expect((await dashboardOf()).klaviyoReceipt.error).toBeNull();
  }, 60_000);

  it("is not shown to a shop that has not connected Klaviyo", async () => {
    await seedShop({ domain: TEST_SHOP });
    expect((await dashboardOf()).klaviyoReceipt).toMatchObject({ connected: false, events: [] });
    expect(await checkWithKlaviyo()).toEqual({ receiptError: null });
    expect(aggregateCalls()).toBe(0);
  });
});
