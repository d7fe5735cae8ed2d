import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { resetDatabase, seedShop, useKlaviyoDouble, useShopifyAdminDouble } from "../../e2e/support/integration";
import { shopifyFixtureFor } from "../../e2e/support/shopify-payloads";
import { OTHER_SHOP, TEST_SHOP } from "../../e2e/support/test-config";
import { signedWebhookHeaders } from "../../e2e/support/webhook-signer";
import { prisma } from "../db.server";
import { processPendingReceipts } from "../jobs/receipt-worker.server";
import { log } from "../log.server";
import { orderStory } from "../platform/sample-order";
import { action } from "./webhooks";

// The red team's replays (security review F1): one captured, correctly signed body sent again
// with other headers. Shopify signs only the body, so the body and Shopify itself are the judges.

useKlaviyoDouble();
const shopify = useShopifyAdminDouble();

/** A body as it was captured, with its genuine signature; `replay` sends it again with new headers. */
function captured(rawBody: string, topic: string, shop: string) {
  const genuine = signedWebhookHeaders(rawBody, { topic, shop });
  const replay = (headers: { topic?: string; shop?: string }) =>
    post(rawBody, {
      ...genuine,
      "X-Shopify-Topic": headers.topic ?? topic,
      "X-Shopify-Shop-Domain": headers.shop ?? shop,
      "X-Shopify-Webhook-Id": `replay-${Math.random()}`,
    });
  return { send: () => post(rawBody, genuine), replay };
}

async function post(rawBody: string, headers: Record<string, string>) {
  const response = await action({
    request: new Request("https://waypost.test/webhooks", { method: "POST", body: rawBody, headers }),
    params: {},
    context: {},
  });
  return { status: response.status, body: (await response.json()) as { outcome?: string; error?: string } };
}

/** What a destructive replay could take from the victim shop. */
async function holdings(domain: string) {
  const shop = await prisma.shop.findUnique({
    where: { domain },
    include: { klaviyoConnection: true, eventSettings: true, trackedOrders: true },
  });
  return {
    installed: Boolean(shop && !shop.uninstalledAt),
    sessions: await prisma.session.count({ where: { shop: domain } }),
    klaviyo: shop?.klaviyoConnection?.status ?? null,
    eventSettings: shop?.eventSettings.length ?? 0,
    orders: shop?.trackedOrders.map((order) => order.orderId) ?? [],
  };
}

const orderBody = JSON.stringify(orderStory({ orderId: 1001 })[0].body);

beforeEach(async () => {
  await resetDatabase();
  await seedShop({ domain: TEST_SHOP, connected: true, goLive: true });
  await seedShop({ domain: OTHER_SHOP, connected: true, goLive: true });
});

afterEach(() => vi.restoreAllMocks());

describe("a captured webhook replayed with other headers", () => {
  it("is refused as another shop's order once the order is known under its own shop", async () => {
    const delivery = captured(orderBody, "orders/create", TEST_SHOP);
    expect((await delivery.send()).body.outcome).toBe("stored");
    await processPendingReceipts();
    const before = await holdings(OTHER_SHOP);
    const warn = vi.spyOn(log, "warn");

    const replay = await delivery.replay({ shop: OTHER_SHOP });

    expect(replay).toEqual({ status: 401, body: { error: "the body's order belongs to another shop" } });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(await prisma.webhookReceipt.count({ where: { shopDomain: OTHER_SHOP } })).toBe(0);
    await processPendingReceipts();
    expect(await holdings(OTHER_SHOP)).toEqual(before);
    expect(await prisma.trackingEvent.count({ where: { shop: { domain: OTHER_SHOP } } })).toBe(0);
  });

  it("cannot uninstall another shop: an order body names no shop, so it is no app/uninstalled", async () => {
    const delivery = captured(orderBody, "orders/create", TEST_SHOP);
    await delivery.send();
    const before = await holdings(OTHER_SHOP);

    const replay = await delivery.replay({ topic: "app/uninstalled", shop: OTHER_SHOP });
    await processPendingReceipts();

    expect(replay.status).toBe(401);
    expect(replay.body.error).toMatch(/myshopify_domain/);
    expect(await holdings(OTHER_SHOP)).toEqual(before);
    expect(before).toMatchObject({ installed: true, sessions: 1, klaviyo: "connected" });
  });

  it("cannot erase another shop: an order body is no shop/redact", async () => {
    const delivery = captured(orderBody, "orders/create", TEST_SHOP);
    await delivery.send();
    const before = await holdings(OTHER_SHOP);

    const replay = await delivery.replay({ topic: "shop/redact", shop: OTHER_SHOP });
    await processPendingReceipts();

    expect(replay.status).toBe(401);
    expect(replay.body.error).toMatch(/shop_domain/);
    expect(await holdings(OTHER_SHOP)).toEqual(before);
    expect(before.eventSettings).toBeGreaterThan(0);
    expect(await prisma.complianceRequest.count()).toBe(0);
  });

  it("cannot send one shop's privacy request to another shop", async () => {
    for (const [name, topic] of [
      ["customers_redact", "customers/redact"],
      ["customers_data_request", "customers/data_request"],
      ["shop_redact", "shop/redact"],
    ] as const) {
      const replay = await captured(shopifyFixtureFor(name, TEST_SHOP), topic, TEST_SHOP).replay({ shop: OTHER_SHOP });
      expect(replay.status, topic).toBe(401);
    }
    expect(await prisma.webhookReceipt.count()).toBe(0);
  });

  it("ignores a shop's own app/uninstalled replayed after it reinstalled: Shopify still accepts its token", async () => {
    // B uninstalled once (Shopify revoked the token, then sent this), and has since reinstalled.
    const delivery = captured(shopifyFixtureFor("app_uninstalled", OTHER_SHOP), "app/uninstalled", OTHER_SHOP);
    const before = await holdings(OTHER_SHOP);

    const replay = await delivery.replay({});
    await processPendingReceipts();

    expect(replay.body.outcome).toBe("stored");
    const receipt = await prisma.webhookReceipt.findFirstOrThrow({ where: { topic: "app/uninstalled" } });
    expect(receipt.status).toBe("ignored");
    expect(receipt.ignoredReason).toMatch(/still accepts the shop's access token/);
    expect(await holdings(OTHER_SHOP)).toEqual(before);
  });

  it("refuses a shop/redact for a shop that still has the app installed, and erases once it does not", async () => {
    const delivery = captured(shopifyFixtureFor("shop_redact", OTHER_SHOP), "shop/redact", OTHER_SHOP);
    const before = await holdings(OTHER_SHOP);

    await delivery.send();
    await processPendingReceipts();
    expect(await holdings(OTHER_SHOP)).toEqual(before);
    expect((await prisma.webhookReceipt.findFirstOrThrow({ where: { topic: "shop/redact" } })).status).toBe("ignored");

    // The merchant uninstalls; 48 hours later Shopify sends shop/redact again.
    await shopify.uninstallAtShopify(OTHER_SHOP);
    await delivery.replay({});
    await processPendingReceipts();
    expect(await prisma.shop.count({ where: { domain: OTHER_SHOP } })).toBe(0);
    expect((await holdings(TEST_SHOP)).installed).toBe(true);
  });

  it("still uninstalls a shop when Shopify has revoked its token", async () => {
    await shopify.uninstallAtShopify(OTHER_SHOP);
    await captured(shopifyFixtureFor("app_uninstalled", OTHER_SHOP), "app/uninstalled", OTHER_SHOP).send();
    await processPendingReceipts();
    expect(await holdings(OTHER_SHOP)).toMatchObject({ installed: false, sessions: 0, klaviyo: null });
    expect((await holdings(TEST_SHOP)).klaviyo).toBe("connected");
  });
});
