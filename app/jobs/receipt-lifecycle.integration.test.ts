import { beforeEach, describe, expect, it } from "vitest";
import { subscribedTopics } from "../../e2e/support/app-config";
import { resetDatabase, seedShop, useKlaviyoDouble, useShopifyAdminDouble } from "../../e2e/support/integration";
import { shopifyFixtureFor, shopifyFixtureText } from "../../e2e/support/shopify-payloads";
import { TEST_SHOP } from "../../e2e/support/test-config";
import { signedWebhookRequest } from "../../e2e/support/webhook-signer";
import { prisma } from "../db.server";
import { getEnv } from "../env.server";
import { receiveWebhook } from "../platform/webhook-ingest.server";
import { recentWebhooks } from "../platform/webhook-receipts.server";
import { processPendingReceipts } from "./receipt-worker.server";

const END_STATES = ["processed", "ignored", "waiting", "failed"];

/** Shopify's documented sample for a topic, with the shop it names filled in with the test shop. */
const documentedPayload = (topic: string) => shopifyFixtureFor(topic.replace(/\//g, "_"), TEST_SHOP);

useKlaviyoDouble();
const shopify = useShopifyAdminDouble();
let shopId: string;
beforeEach(async () => {
  await resetDatabase();
  shopId = (await seedShop({ connected: true, goLive: true })).id;
  shopify.state.orders = [];
});

describe("every receipt ends in a state the merchant can read", () => {
  it.each(subscribedTopics())("%s with Shopify's documented payload", async (topic) => {
    // Shopify revokes the app's token before it sends app/uninstalled; shop/redact comes 48 hours later.
    if (topic === "app/uninstalled" || topic === "shop/redact") await shopify.uninstallAtShopify(TEST_SHOP);
    if (topic === "shop/redact") await deliverAndProcess("app/uninstalled");
    await deliverAndProcess(topic);

    const receipt = await prisma.webhookReceipt.findFirstOrThrow({ where: { topic } });
    expect(END_STATES).toContain(receipt.status);
    // Activity says why, whatever the state: what it recorded, why it was ignored, what it waits for, the error.
    // (A shop's erasure leaves its receipt to no shop's Activity: then the receipt itself says it.)
    const shown = (await recentWebhooks(shopId)).find((webhook) => webhook.id === receipt.id);
    expect(shown ? shown.reason : (receipt.outcome ?? receipt.ignoredReason)).toMatch(/\w{3,}/);
  });

  async function deliverAndProcess(topic: string) {
    const accepted = await receiveWebhook(
      signedWebhookRequest("https://waypost.test/webhooks", { topic, body: documentedPayload(topic) }),
    );
    expect(accepted.httpStatus).toBe(200);
    await processPendingReceipts();
  }

  it("a lone surrogate escape in a documented payload is processed, never a crash", async () => {
    const body = shopifyFixtureText("fulfillments_create").replace(
      '"tracking_company": "UPS"',
      '"tracking_company": "UPS \\ud800"',
    );
    expect(body).toContain("\\ud800");
    // Its order is not known yet: Waypost reads it from Shopify.
    shopify.state.orders = [
      {
        id: "gid://shopify/Order/820982911946154500",
        name: "#9999",
        email: "jon@example.com",
        createdAt: "2021-12-31T19:00:00-05:00",
        updatedAt: "2021-12-31T19:00:00-05:00",
        currencyCode: "USD",
        totalPriceSet: { shopMoney: { amount: "10.00", currencyCode: "USD" } },
        lineItems: [],
        fulfillments: [],
      },
    ];
    await receiveWebhook(signedWebhookRequest("https://waypost.test/webhooks", { topic: "fulfillments/create", body }));
    await processPendingReceipts();
    const receipt = await prisma.webhookReceipt.findFirstOrThrow();
    expect(receipt).toMatchObject({ status: "processed", lastError: null });
    const shipment = await prisma.trackedShipment.findFirstOrThrow();
    expect(JSON.stringify(shipment)).toContain("UPS \ufffd");
  });

  it("waits for Shopify while it cannot be reached, then finishes when it answers again", async () => {
    await shopify.uninstallAtShopify(TEST_SHOP);
    const env = getEnv() as { shopifyAdminApiUrl?: string };
    const reachable = env.shopifyAdminApiUrl;
    env.shopifyAdminApiUrl = "http://127.0.0.1:9";
    try {
      await deliverAndProcess("app/uninstalled");
    } finally {
      env.shopifyAdminApiUrl = reachable;
    }
    const waiting = await prisma.webhookReceipt.findFirstOrThrow({ where: { topic: "app/uninstalled" } });
    expect(waiting).toMatchObject({ status: "waiting", outcome: "waiting for Shopify" });
    expect(waiting.lastError).toMatch(/could not confirm with Shopify/);
    expect((await prisma.shop.findUniqueOrThrow({ where: { id: shopId } })).uninstalledAt).toBeNull();
    const shown = (await recentWebhooks(shopId)).find((webhook) => webhook.id === waiting.id);
    expect(shown?.reason).toMatch(/^waiting for Shopify: could not confirm/);

    await processPendingReceipts({ now: waiting.nextAttemptAt! });
    expect(await prisma.webhookReceipt.findUniqueOrThrow({ where: { id: waiting.id } })).toMatchObject({
      status: "processed",
    });
    expect((await prisma.shop.findUniqueOrThrow({ where: { id: shopId } })).uninstalledAt).toBeInstanceOf(Date);
  });
});
