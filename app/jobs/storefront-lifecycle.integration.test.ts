import { beforeEach, describe, expect, it } from "vitest";
import { resetDatabase, seedShop, useKlaviyoDouble } from "../../e2e/support/integration";
import {
  loggedInEvent,
  pixelBatch,
  pixelRequest,
  SAMPLE_CLIENT_ID,
  standardEvent,
} from "../../e2e/support/pixel-batch";
import { prisma } from "../db.server";
import { KLAVIYO_INTEGRATION } from "../demo/doubles/klaviyo/double-state";
import { answerPixelRequest, pixelLimits } from "../platform/pixel-ingest.server";
import { pixelKeyFor } from "../platform/pixel-key.server";
import { DAY_MS } from "../time";
import { pruneHistory } from "./history-pruning.server";
import { eventKlaviyoFactsFor } from "./klaviyo-reads/event-facts.server";
import { eraseCustomer } from "./offboarding.server";
import { processPendingReceipts } from "./receipt-worker.server";

const double = useKlaviyoDouble();
const SHOP = "lifecycle-shop.myshopify.com";

let shopId: string;
let pixelKey: string;

beforeEach(async () => {
  await resetDatabase();
  shopId = (await seedShop({ domain: SHOP, connected: true })).id;
  pixelKey = await pixelKeyFor(shopId);
});

async function deliver(...batches: Parameters<typeof pixelBatch>[0][]) {
  for (const batch of batches) {
    const answer = await answerPixelRequest(pixelRequest("https://waypost.test/pixel/events", pixelBatch(batch)), {
      limits: pixelLimits(60, 6000),
    });
    expect(answer.status).toBe(204);
  }
  while ((await processPendingReceipts()) > 0);
}

describe("storefront events beside Klaviyo's own onsite tracking", () => {
  it("keeps Waypost's Viewed Product off and says so when Klaviyo's onsite tracking already records it", async () => {
    double.state.seededMetrics.push({
      accountId: "KDEMO1",
      name: "Viewed Product",
      integration: KLAVIYO_INTEGRATION,
    });
    const shop = await prisma.shop.findUniqueOrThrow({ where: { id: shopId } });
    const facts = await eventKlaviyoFactsFor(shop, { refresh: true });
    expect(facts.byEvent.viewed_product).toMatchObject({ shadowedBy: "onsite tracking", metricPresent: false });
    expect(facts.byEvent.added_to_cart).toMatchObject({ shadowedBy: null });
    expect(facts.turnedOff).toEqual(["viewed_product"]);
    expect(
      await prisma.eventSetting.findMany({ where: { shopId }, select: { eventKey: true, enabled: true } }),
    ).toEqual([{ eventKey: "viewed_product", enabled: false }]);
  });
});

describe("storefront history", () => {
  it("prunes finished storefront events and batches after STOREFRONT_RETENTION_DAYS, order events only after the history's", async () => {
    await deliver({ shop: SHOP, pixelKey, events: [standardEvent("product_viewed", SHOP)] });
    const longAgo = new Date(Date.now() - 40 * DAY_MS);
    await prisma.trackingEvent.updateMany({ data: { detectedAt: longAgo } });
    await prisma.webhookReceipt.updateMany({ data: { receivedAt: longAgo } });
    await prisma.trackingEvent.create({
      data: {
        shopId,
        uniqueKey: "order-event",
        eventKey: "placed_order",
        orderId: "1001",
        status: "sent",
        detectedAt: longAgo,
      },
    });

    const pruned = await pruneHistory(new Date(), 90, 30);
    expect(pruned).toMatchObject({ events: 1, webhooks: 1 });
    expect(await prisma.trackingEvent.findMany({ select: { uniqueKey: true } })).toEqual([
      { uniqueKey: "order-event" },
    ]);
  });

  it("on customers/redact forgets the browsers linked to the customer, their storefront events and batches", async () => {
    await deliver(
      {
        shop: SHOP,
        pixelKey,
        customer: { id: "gid://shopify/Customer/7", email: "ann.lee@example.com" },
        events: [loggedInEvent(SAMPLE_CLIENT_ID, "gid://shopify/Customer/7")],
      },
      { shop: SHOP, pixelKey, clientId: "someone-else", events: [standardEvent("page_viewed", SHOP)] },
    );
    expect(await prisma.storefrontVisitor.count()).toBe(2);

    await eraseCustomer({ shopDomain: SHOP, customer: { id: "7", email: "ann.lee@example.com" }, orderIds: [] });
    expect(await prisma.storefrontVisitor.findMany({ select: { clientId: true } })).toEqual([
      { clientId: "someone-else" },
    ]);
    expect(await prisma.trackingEvent.findMany({ select: { eventKey: true } })).toEqual([
      { eventKey: "active_on_site" },
    ]);
    expect(await prisma.webhookReceipt.count({ where: { body: { contains: "ann.lee@example.com" } } })).toBe(0);
  });
});
