import { beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_ACCOUNTS } from "../demo/doubles/klaviyo/server";
import { ALL_EVENTS, resetDatabase, seedShop, useKlaviyoDouble } from "../../e2e/support/integration";
import { orderStory, STORY_METRICS } from "../platform/sample-order";
import { TEST_SHOP } from "../../e2e/support/test-config";
import { signedWebhookRequest } from "../../e2e/support/webhook-signer";
import { prisma } from "../db.server";
import { connectWithPrivateKey } from "../klaviyo/connection.server";
import { receiveWebhook } from "../platform/webhook-ingest.server";
import { saveTrackSettings } from "../settings/track-settings.server";
import { scanForDelays } from "./delay-scan.server";
import { sendDueEvents } from "./event-sender.server";
import { syncDueProfiles } from "./profile-sync.server";
import { processPendingReceipts, TOPIC_HANDLERS } from "./receipt-worker.server";

const double = useKlaviyoDouble();
let shopId: string;

beforeEach(async () => {
  await resetDatabase();
  shopId = (await seedShop({ connected: true, goLive: true })).id;
});

/**
 * Delivers the webhooks in the order given, each processed before the next arrives, as a story's
 * steps (hours or days apart) reach Waypost.
 */
async function deliver(webhooks: Array<{ topic: string; body: unknown }>) {
  for (const webhook of webhooks) {
    const outcome = await receiveWebhook(
      signedWebhookRequest("https://waypost.test/webhooks", { topic: webhook.topic, body: webhook.body }),
    );
    expect(outcome.httpStatus).toBe(200);
    while ((await processPendingReceipts()) > 0);
  }
}

async function sendAll(now = new Date()) {
  while ((await sendDueEvents({ now })).sent > 0);
}

const metricsAtDouble = () => double.state.events.map((event) => event.metric).sort();
const shuffled = <T>(items: T[], seed: number) =>
  items
    .map((item, index) => ({ item, order: Math.sin(seed * 9973 + index * 7919) }))
    .sort((a, b) => a.order - b.order)
    .map(({ item }) => item);

describe("from webhooks to Klaviyo", () => {
  it("an order's whole life reaches Klaviyo as exactly the expected events, with full payloads", async () => {
    await deliver(orderStory({ orderId: 1001 }));
    await sendAll();

    expect(metricsAtDouble()).toEqual([...STORY_METRICS].sort());
    const delivered = double.state.events.find((event) => event.metric === "Delivered")!;
    expect(delivered.uniqueId).toBe("test-shop.myshopify.com:1001:10011:delivered");
    expect(delivered.profile).toEqual({
      email: "ann.lee@example.com",
      phone_number: "+14155550199",
      first_name: "Ann",
      last_name: "Lee",
    });
    expect(delivered.time).toBe("2026-11-24T19:02:00Z");
    expect(delivered.value).toBe(48.5);
    expect(delivered.properties).toMatchObject({
      order_id: "1001",
      order_name: "#1001",
      store_name: "Test Shop",
      store_domain: TEST_SHOP,
      fulfillment_id: "10011",
      tracking_number: "1Z1001",
      carrier: "UPS",
      tracking_url: "https://www.ups.com/track?tracknum=1Z1001",
      status: "delivered",
      estimated_delivery_at: "2026-11-24T22:00:00.000Z",
      item_names: ["Stoneware mug", "Loose-leaf tea"],
    });
    expect(await prisma.trackingEvent.count({ where: { status: "sent" } })).toBe(STORY_METRICS.length);
  });

  it("replaying every webhook three times, shuffled, sends nothing twice", async () => {
    const story = orderStory({ orderId: 1002 });
    await deliver(story);
    await sendAll();
    for (const seed of [1, 2, 3]) await deliver(shuffled(story, seed));
    await sendAll();

    const uniqueIds = double.state.events.map((event) => event.uniqueId);
    expect(new Set(uniqueIds).size).toBe(uniqueIds.length);
    // Not even a duplicate that Klaviyo would have dropped was sent.
    expect(double.state.duplicatesIgnored).toBe(0);
    expect(metricsAtDouble()).toEqual([...STORY_METRICS].sort());
    expect(await prisma.trackingEvent.count()).toBe(STORY_METRICS.length);
  });

  it("a late in-transit scan after delivery changes nothing", async () => {
    const story = orderStory({ orderId: 1003 });
    await deliver(story);
    const lateScan = {
      ...story[3],
      body: { ...(story[3].body as object), id: 99_999, happened_at: "2026-11-25T08:00:00-05:00" },
    };
    await deliver([lateScan]);
    await sendAll();

    expect(metricsAtDouble().filter((metric) => metric === "In Transit")).toHaveLength(1);
    const shipment = await prisma.trackedShipment.findFirstOrThrow({ where: { shopId } });
    expect(shipment.milestone).toBe("delivered");
  });
});

describe("concurrent workers", () => {
  it("never store a milestone behind the furthest scan, however their writes interleave", async () => {
    for (let round = 0; round < 8; round++) {
      const orderId = 9100 + round;
      const story = orderStory({ orderId });
      await deliver(story.slice(0, 4));
      const [outForDelivery, delivered] = [story[4], story[5]];
      const receipts = await Promise.all(
        [delivered, outForDelivery].map(async (webhook) => {
          const outcome = await receiveWebhook(signedWebhookRequest("https://waypost.test/webhooks", webhook));
          return prisma.webhookReceipt.findUniqueOrThrow({
            where: { id: outcome.kind === "stored" ? outcome.receiptId : "" },
          });
        }),
      );
      await Promise.all(
        receipts.map((receipt) => TOPIC_HANDLERS["fulfillment_events/create"](receipt, JSON.parse(receipt.body))),
      );
      const shipment = await prisma.trackedShipment.findFirstOrThrow({ where: { orderId: String(orderId) } });
      expect(shipment.milestone).toBe("delivered");
      expect(await prisma.trackingEvent.count({ where: { orderId: String(orderId), eventKey: "delivered" } })).toBe(1);
    }
  });
});

describe("partial fulfilment and cancellation", () => {
  it("tracks each fulfillment of one order separately", async () => {
    const first = orderStory({ orderId: 6001, fulfillmentId: 60011, trackingNumber: "1ZFIRST" });
    const second = orderStory({ orderId: 6001, fulfillmentId: 60012, trackingNumber: "1ZSECOND" });
    await deliver([...first, ...second.slice(2)]);
    await sendAll();

    const delivered = double.state.events.filter((event) => event.metric === "Delivered");
    expect(delivered.map((event) => event.properties.tracking_number).sort()).toEqual(["1ZFIRST", "1ZSECOND"]);
    expect(metricsAtDouble().filter((metric) => metric === "Placed Order")).toHaveLength(1);
  });

  it("sends Order Cancelled when a shipped order is cancelled, keeping what was already sent", async () => {
    const story = orderStory({ orderId: 6002 });
    await deliver(story.slice(0, 4));
    const cancelled = {
      ...(story[1].body as Record<string, unknown>),
      cancelled_at: "2026-11-23T09:00:00-05:00",
      updated_at: "2026-11-23T09:00:00-05:00",
    };
    await deliver([{ topic: "orders/cancelled", body: cancelled }]);
    await sendAll();

    expect(metricsAtDouble()).toContain("Order Cancelled");
    expect(metricsAtDouble()).toContain("In Transit");
    expect(double.state.events.find((event) => event.metric === "Order Cancelled")?.time).toBe("2026-11-23T14:00:00Z");
  });
});

describe("gating: recorded as skipped with the reason, never silently dropped", () => {
  it("while Go Live is off nothing is sent and every event says why", async () => {
    await saveTrackSettings(shopId, { goLive: false, enabledEvents: ALL_EVENTS });
    await deliver(orderStory({ orderId: 2001 }));
    await sendAll();

    expect(double.state.events).toHaveLength(0);
    const events = await prisma.trackingEvent.findMany();
    expect(events).toHaveLength(STORY_METRICS.length);
    expect(new Set(events.map((event) => `${event.status}: ${event.skipReason}`))).toEqual(
      new Set(["skipped: Go Live is off"]),
    );
  });

  it("a turned-off event is skipped while the others go out", async () => {
    await saveTrackSettings(shopId, { goLive: true, enabledEvents: ALL_EVENTS.filter((key) => key !== "in_transit") });
    await deliver(orderStory({ orderId: 2002 }));
    await sendAll();

    expect(metricsAtDouble()).not.toContain("In Transit");
    expect(metricsAtDouble()).toContain("Delivered");
    const skipped = await prisma.trackingEvent.findFirstOrThrow({ where: { eventKey: "in_transit" } });
    expect(skipped).toMatchObject({
      status: "skipped",
      skipReason: "This event is turned off in Track Settings",
      payload: null,
    });
  });

  it("an order without email or phone is skipped with that reason", async () => {
    await deliver(orderStory({ orderId: 2003, email: null, phone: null }));
    await sendAll();
    expect(double.state.events).toHaveLength(0);
    expect((await prisma.trackingEvent.findFirstOrThrow()).skipReason).toBe(
      "The order has no email address or phone number",
    );
  });

  it("reaches a customer by phone alone", async () => {
    await deliver(orderStory({ orderId: 2004, email: null, phone: "(415) 555-0100" }));
    await sendAll();
    expect(double.state.events.every((event) => event.profile.phone_number === "+14155550100")).toBe(true);
    expect(double.state.events.length).toBe(STORY_METRICS.length);
  });
});

describe("delays detected by Waypost", () => {
  const inTransitOnly = (orderId: number) => orderStory({ orderId }).slice(0, 4);

  it("raises Shipment Delayed once when the estimated delivery passes, and again only for a new estimate", async () => {
    const story = inTransitOnly(4001);
    await deliver(story);
    await sendAll();
    const afterEta = new Date("2026-11-26T12:00:00Z");

    expect(await scanForDelays(afterEta, 4)).toBe(1);
    expect(await scanForDelays(afterEta, 4)).toBe(0);
    await sendAll();
    expect(metricsAtDouble().filter((metric) => metric === "Shipment Delayed")).toHaveLength(1);
    const delayed = double.state.events.find((event) => event.metric === "Shipment Delayed")!;
    expect(delayed.properties).toMatchObject({
      delay_reason: "past_estimated_delivery",
      status: "delayed",
      tracking_number: "1Z4001",
    });

    const newEstimate = {
      ...story[3],
      body: {
        ...(story[3].body as object),
        id: 777,
        status: "in_transit",
        estimated_delivery_at: "2026-11-27T17:00:00-05:00",
      },
    };
    await deliver([newEstimate]);
    expect(await scanForDelays(new Date("2026-11-28T12:00:00Z"), 4)).toBe(1);
    await sendAll();
    expect(metricsAtDouble().filter((metric) => metric === "Shipment Delayed")).toHaveLength(2);
  });

  it("raises it for a shipment with no carrier scan for the configured days", async () => {
    await deliver(orderStory({ orderId: 4002 }).slice(0, 3));
    await prisma.trackedShipment.updateMany({ data: { createdAt: new Date(Date.now() - 5 * 24 * 60 * 60_000) } });
    await scanForDelays(new Date(), 4);
    await sendAll();
    const delayed = double.state.events.find((event) => event.metric === "Shipment Delayed");
    expect(delayed?.properties).toMatchObject({ delay_reason: "no_carrier_scan" });
  });

  it("raises a new delay in the first scan however many stale shipments were raised before it", async () => {
    const shop = await prisma.shop.findFirstOrThrow();
    const longAgo = new Date(Date.now() - 30 * 24 * 60 * 60_000);
    // More lost parcels, already raised, than one read of the scan takes.
    await prisma.trackedShipment.createMany({
      data: Array.from({ length: 1200 }, (_, index) => ({
        shopId: shop.id,
        orderId: `lost-${index}`,
        fulfillmentId: `lost-${index}`,
        milestone: "in_transit",
        snapshot: "{}",
        lastCarrierUpdateAt: longAgo,
        delayRaisedFor: "no-scan",
      })),
    });
    await deliver(orderStory({ orderId: 4004 }).slice(0, 3));
    await prisma.trackedShipment.updateMany({ where: { delayRaisedFor: null }, data: { createdAt: longAgo } });

    expect(await scanForDelays(new Date(), 4)).toBe(1);
    expect(await scanForDelays(new Date(), 4)).toBe(0);
    expect(await prisma.trackedShipment.count({ where: { delayRaisedFor: "no-scan" } })).toBe(1201);
  });

  it("never calls a delivered parcel late", async () => {
    await deliver(orderStory({ orderId: 4003 }));
    expect(await scanForDelays(new Date("2026-12-30T00:00:00Z"), 4)).toBe(0);
  });
});

describe("customer profiles", () => {
  it("keeps the customer's Klaviyo profile up to date with names and delivery stats", async () => {
    await deliver(orderStory({ orderId: 5001 }));
    await sendAll();
    await syncDueProfiles();

    const profile = double.state.profiles.get("KDEMO1:ann.lee@example.com") as { properties: Record<string, unknown> };
    expect(profile).toMatchObject({
      email: "ann.lee@example.com",
      phone_number: "+14155550199",
      first_name: "Ann",
      last_name: "Lee",
    });
    expect(profile.properties).toMatchObject({ waypost_orders_shipped: 1, waypost_orders_delivered: 1 });
    expect(profile.properties.waypost_last_delivered_at).toBe("2026-11-24T19:02:00.000Z");
  });

  it("lets a later order's name win", async () => {
    await deliver(orderStory({ orderId: 5002 }));
    await sendAll();
    await syncDueProfiles();
    const renamed = orderStory({ orderId: 5003 })
      .slice(0, 1)
      .map((webhook) => ({
        ...webhook,
        body: {
          ...webhook.body,
          // Placed after the first order: the latest placed order's name is the customer's.
          created_at: "2026-11-21T10:00:00-05:00",
          updated_at: "2026-11-21T10:00:00-05:00",
          customer: { ...(webhook.body as { customer: object }).customer, first_name: "Annie" },
        },
      }));
    await deliver(renamed);
    await sendAll();
    await syncDueProfiles();
    expect(double.state.profiles.get("KDEMO1:ann.lee@example.com")?.first_name).toBe("Annie");
  });

  it("does not resend a profile nothing has changed about", async () => {
    await deliver(orderStory({ orderId: 5004 }));
    await sendAll();
    await syncDueProfiles();
    const synced = await prisma.customerProfile.findFirstOrThrow();
    await deliver(orderStory({ orderId: 5004 }));
    expect((await prisma.customerProfile.findFirstOrThrow()).status).toBe("synced");
    expect(synced.status).toBe("synced");
  });

  it("holds a profile update on a 401 until the merchant reconnects, as it holds events, instead of giving it up", async () => {
    await deliver(orderStory({ orderId: 5006 }));
    await sendAll();
    double.state.faults = { errorRate: 0, latencyMs: 0, forced: { status: 401, remaining: 100 } };
    await syncDueProfiles();
    double.state.faults = { errorRate: 0, latencyMs: 0 };
    expect((await prisma.klaviyoConnection.findUniqueOrThrow({ where: { shopId } })).status).toBe("needs_reconnect");
    expect(await prisma.customerProfile.findFirstOrThrow()).toMatchObject({ status: "queued", attempts: 0 });
    expect(double.state.profiles.size).toBe(0);

    await connectWithPrivateKey(shopId, DEFAULT_ACCOUNTS[0].privateKeys[0]);
    await syncDueProfiles({ now: new Date(Date.now() + 2 * 60_000) });
    expect((await prisma.customerProfile.findFirstOrThrow()).status).toBe("synced");
    expect(double.state.profiles.get("KDEMO1:ann.lee@example.com")).toMatchObject({ first_name: "Ann" });
  });

  it("forgets the customer's orders, shipments, events and profile on customers/redact", async () => {
    await deliver(orderStory({ orderId: 5005 }));
    await sendAll();
    await deliver([
      {
        topic: "customers/redact",
        body: { shop_domain: TEST_SHOP, customer: { id: 1, email: "ann.lee@example.com" }, orders_to_redact: [5005] },
      },
    ]);
    for (const count of [
      prisma.trackingEvent.count(),
      prisma.trackedOrder.count(),
      prisma.trackedShipment.count(),
      prisma.customerProfile.count(),
    ]) {
      expect(await count).toBe(0);
    }
  });
});
