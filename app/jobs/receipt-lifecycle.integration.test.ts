import { beforeEach, describe, expect, it } from "vitest";
import { subscribedTopics } from "../../e2e/support/app-config";
import { resetDatabase, seedShop, useKlaviyoDouble } from "../../e2e/support/integration";
import { shopifyFixtureText } from "../../e2e/support/shopify-payloads";
import { TEST_SHOP } from "../../e2e/support/test-config";
import { signedWebhookRequest } from "../../e2e/support/webhook-signer";
import { prisma } from "../db.server";
import { receiveWebhook } from "../platform/webhook-ingest.server";
import { recentWebhooks } from "../platform/webhook-receipts.server";
import { processPendingReceipts } from "./receipt-worker.server";

const END_STATES = ["processed", "ignored", "waiting", "failed"];

/** Shopify's documented sample for a topic, with its `{shop}` placeholder filled in with the test shop. */
const documentedPayload = (topic: string) =>
  shopifyFixtureText(topic.replace(/\//g, "_")).replaceAll("{shop}.myshopify.com", TEST_SHOP);

useKlaviyoDouble();
let shopId: string;
beforeEach(async () => {
  await resetDatabase();
  shopId = (await seedShop({ connected: true, goLive: true })).id;
});

describe("every receipt ends in a state the merchant can read", () => {
  it.each(subscribedTopics())("%s with Shopify's documented payload", async (topic) => {
    // shop/redact comes 48 hours after the shop uninstalled.
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
    await receiveWebhook(signedWebhookRequest("https://waypost.test/webhooks", { topic: "fulfillments/create", body }));
    await processPendingReceipts();
    const receipt = await prisma.webhookReceipt.findFirstOrThrow();
    expect(receipt).toMatchObject({ status: "processed", lastError: null });
    const shipment = await prisma.trackedShipment.findFirstOrThrow();
    expect(JSON.stringify(shipment)).toContain("UPS \ufffd");
  });
});
