import { beforeEach, describe, expect, it } from "vitest";
import { prisma } from "../db.server";
import { signedWebhookRequest } from "../../e2e/support/webhook-signer";
import { shopifyFixtureFor } from "../../e2e/support/shopify-payloads";
import { resetDatabase, useShopifyAdminDouble } from "../../e2e/support/integration";
import { OTHER_SHOP, TEST_SHOP } from "../../e2e/support/test-config";
import { receiveWebhook } from "../platform/webhook-ingest.server";
import { retryFailedReceipt } from "./receipt-queue.server";
import { processPendingReceipts } from "./receipt-worker.server";

const deliver = (topic: string, body: unknown, shop = TEST_SHOP) =>
  receiveWebhook(signedWebhookRequest("https://waypost.test/webhooks", { topic, body, shop }));

async function installShop(domain: string) {
  await prisma.shop.create({ data: { domain, name: domain, goLive: true } });
  await prisma.session.create({
    data: { id: `offline_${domain}`, shop: domain, state: "", accessToken: `token-for-${domain}` },
  });
}

const shopify = useShopifyAdminDouble();

beforeEach(async () => {
  await resetDatabase();
  await installShop(TEST_SHOP);
  await installShop(OTHER_SHOP);
  // Shopify revokes the token before it sends app/uninstalled.
  await shopify.uninstallAtShopify(TEST_SHOP);
});

describe("receipt worker", () => {
  it("on app/uninstalled deletes the shop's sessions, turns it off and stops its pending work", async () => {
    const shop = await prisma.shop.findUniqueOrThrow({ where: { domain: TEST_SHOP } });
    const queued = await prisma.trackingEvent.create({
      data: {
        shopId: shop.id,
        uniqueKey: "k-1",
        eventKey: "delivered",
        orderId: "1",
        status: "queued",
        payload: "{}",
        nextAttemptAt: new Date(),
        ready: { create: { shopId: shop.id, queue: "live", dueAt: new Date() } },
      },
    });
    await deliver("app/uninstalled", shopifyFixtureFor("app_uninstalled", TEST_SHOP));
    // An order webhook that lands while the uninstall is being handled.
    await deliver("orders/create", { id: 1001 });
    await prisma.webhookReceipt.updateMany({
      where: { topic: "orders/create" },
      data: { receivedAt: new Date(Date.now() + 60_000) },
    });

    await processPendingReceipts();

    expect(await prisma.session.count({ where: { shop: TEST_SHOP } })).toBe(0);
    const uninstalled = await prisma.shop.findUniqueOrThrow({ where: { domain: TEST_SHOP } });
    expect(uninstalled.uninstalledAt).toBeInstanceOf(Date);
    expect(uninstalled.goLive).toBe(false);
    const pendingOrder = await prisma.webhookReceipt.findFirstOrThrow({ where: { topic: "orders/create" } });
    expect(pendingOrder).toMatchObject({ status: "ignored", ignoredReason: "shop uninstalled Waypost" });
    expect(await prisma.trackingEvent.findUniqueOrThrow({ where: { id: queued.id } })).toMatchObject({
      status: "cancelled",
      skipReason: "The store uninstalled Waypost",
      nextAttemptAt: null,
    });
    // Another shop is untouched.
    expect(await prisma.session.count({ where: { shop: OTHER_SHOP } })).toBe(1);
    expect((await prisma.shop.findUniqueOrThrow({ where: { domain: OTHER_SHOP } })).goLive).toBe(true);
  });

  it("ignores later webhooks from an uninstalled shop", async () => {
    await deliver("app/uninstalled", shopifyFixtureFor("app_uninstalled", TEST_SHOP));
    await processPendingReceipts();
    const outcome = await deliver("orders/create", { id: 1002 });
    expect(outcome).toMatchObject({ kind: "ignored", reason: "shop has not installed Waypost" });
  });

  it("handles a repeated app/uninstalled without error", async () => {
    await deliver("app/uninstalled", shopifyFixtureFor("app_uninstalled", TEST_SHOP));
    await deliver("app/uninstalled", shopifyFixtureFor("app_uninstalled", TEST_SHOP));
    expect(await processPendingReceipts()).toBe(2);
    expect(await prisma.webhookReceipt.count({ where: { status: "processed" } })).toBe(2);
    expect(await prisma.session.count({ where: { shop: TEST_SHOP } })).toBe(0);
  });

  it("on customers/redact erases every record of the customer's orders and email, and only those", async () => {
    await deliver("orders/create", { id: 299938, email: "john@example.com" });
    await deliver("fulfillments/update", { id: 5, order_id: 280263 });
    await deliver("orders/create", { id: 777, email: "someone-else@example.com" });
    // The same customer at another shop is that shop's customer, not part of this request.
    await deliver("orders/create", { id: 555, email: "john@example.com" }, OTHER_SHOP);
    await deliver("customers/redact", shopifyFixtureFor("customers_redact", TEST_SHOP));

    await processPendingReceipts();

    const left = await prisma.webhookReceipt.findMany({ where: { topic: { not: "customers/redact" } } });
    expect(left.map((receipt) => [receipt.shopDomain, receipt.orderId])).toEqual(
      expect.arrayContaining([
        [TEST_SHOP, "777"],
        [OTHER_SHOP, "555"],
      ]),
    );
    expect(left).toHaveLength(2);
    const record = await prisma.complianceRequest.findFirstOrThrow({ where: { topic: "customers/redact" } });
    expect(record.summary).toMatch(/^Erased 2 webhook record\(s\) and [1-9]\d* tracking record\(s\)\.$/);
    const ordersLeft = await prisma.trackedOrder.findMany({
      select: { orderId: true, shop: { select: { domain: true } } },
    });
    expect(ordersLeft.map((order) => `${order.shop.domain}:${order.orderId}`).sort()).toEqual([
      `${OTHER_SHOP}:555`,
      `${TEST_SHOP}:777`,
    ]);
    const request = await prisma.webhookReceipt.findFirstOrThrow({ where: { topic: "customers/redact" } });
    expect(request).toMatchObject({ status: "processed", body: "{}" });
  });

  it("on customers/data_request reports what Waypost holds about the customer", async () => {
    await deliver("orders/create", { id: 299938, email: "john@example.com" });
    await deliver("customers/data_request", shopifyFixtureFor("customers_data_request", TEST_SHOP));
    await processPendingReceipts();
    const record = await prisma.complianceRequest.findFirstOrThrow({ where: { topic: "customers/data_request" } });
    expect(record.summary).toMatch(/^Waypost holds 1 webhook record\(s\) about this customer's orders \(299938\)/);
  });

  it("on shop/redact erases everything the shop sent, even after uninstall", async () => {
    await deliver("orders/create", { id: 1 });
    await deliver("app/uninstalled", shopifyFixtureFor("app_uninstalled", TEST_SHOP));
    await processPendingReceipts();
    await deliver("shop/redact", shopifyFixtureFor("shop_redact", TEST_SHOP));
    await processPendingReceipts();

    expect(await prisma.shop.count({ where: { domain: TEST_SHOP } })).toBe(0);
    expect(await prisma.webhookReceipt.count({ where: { shopDomain: TEST_SHOP, topic: { not: "shop/redact" } } })).toBe(
      0,
    );
    expect(await prisma.shop.count({ where: { domain: OTHER_SHOP } })).toBe(1);
  });

  it("hands tracking webhooks to the tracking engine", async () => {
    await deliver("orders/create", { id: 1, email: "ann@example.com", line_items: [] });
    expect(await processPendingReceipts()).toBe(1);
    expect((await prisma.webhookReceipt.findFirstOrThrow()).status).toBe("processed");
    expect(await prisma.trackedOrder.count()).toBe(1);
  });

  it("retries a failing receipt with backoff over Shopify's four-hour window, then keeps it failed with the error", async () => {
    // A body that passed the HMAC check but that the handler cannot parse.
    const receivedAt = new Date("2026-12-01T10:00:00Z");
    const receipt = await prisma.webhookReceipt.create({
      data: { webhookId: "broken", shopDomain: TEST_SHOP, topic: "app/scopes_update", body: "{not json", receivedAt },
    });
    const tries: number[] = [];
    let now = receivedAt;
    for (let step = 0; step < 200; step++) {
      if ((await processPendingReceipts({ now })) > 0) tries.push(now.getTime() - receivedAt.getTime());
      const current = await prisma.webhookReceipt.findUniqueOrThrow({ where: { id: receipt.id } });
      if (current.status === "failed") break;
      expect(current).toMatchObject({ status: "pending", lastError: expect.stringMatching(/JSON/) });
      // Not due a moment before its time; due at it.
      expect(await processPendingReceipts({ now: new Date(current.nextAttemptAt!.getTime() - 1) })).toBe(0);
      now = current.nextAttemptAt!;
    }
    const failed = await prisma.webhookReceipt.findUniqueOrThrow({ where: { id: receipt.id } });
    expect(failed).toMatchObject({ status: "failed", nextAttemptAt: null, attempts: tries.length });
    expect(failed.lastError).toMatch(/JSON/);
    expect(tries[1]).toBeLessThan(10_000);
    expect(tries[tries.length - 1]).toBe(4 * 60 * 60_000);
    expect(tries.length).toBeGreaterThan(8);
    // Failed stays failed: no worker picks it up again on its own.
    expect(await processPendingReceipts({ now: new Date(receivedAt.getTime() + 48 * 60 * 60_000) })).toBe(0);
  });

  it("a merchant's Retry gives one failed receipt of their own shop another try, and no other shop's", async () => {
    const shop = await prisma.shop.findUniqueOrThrow({ where: { domain: TEST_SHOP } });
    const other = await prisma.shop.findUniqueOrThrow({ where: { domain: OTHER_SHOP } });
    const failed = await prisma.webhookReceipt.create({
      data: {
        webhookId: "failed-once",
        shopDomain: TEST_SHOP,
        shopId: shop.id,
        topic: "app/scopes_update",
        body: JSON.stringify({ current: ["read_orders"] }),
        status: "failed",
        lastError: "database was restarting",
        attempts: 12,
      },
    });
    expect(await retryFailedReceipt(other.id, failed.id)).toBe(false);
    expect((await prisma.webhookReceipt.findUniqueOrThrow({ where: { id: failed.id } })).status).toBe("failed");

    expect(await retryFailedReceipt(shop.id, failed.id)).toBe(true);
    expect(await retryFailedReceipt(shop.id, failed.id)).toBe(false);
    expect(await processPendingReceipts()).toBe(1);
    expect(await prisma.webhookReceipt.findUniqueOrThrow({ where: { id: failed.id } })).toMatchObject({
      status: "processed",
      lastError: null,
    });
  });

  it("claims each due receipt for one worker only, however many run at once", async () => {
    for (let index = 0; index < 30; index++) await deliver("app/scopes_update", { id: index, current: [] });
    const counts = await Promise.all([processPendingReceipts(), processPendingReceipts(), processPendingReceipts()]);
    expect(counts.reduce((sum, count) => sum + count, 0)).toBe(30);
    const receipts = await prisma.webhookReceipt.findMany({ where: { topic: "app/scopes_update" } });
    expect(receipts.map((receipt) => [receipt.status, receipt.attempts])).toEqual(receipts.map(() => ["processed", 1]));
  });

  it("takes over a receipt whose worker died mid-way, after the claim goes stale", async () => {
    await deliver("app/uninstalled", shopifyFixtureFor("app_uninstalled", TEST_SHOP));
    const staleClaim = new Date(Date.now() - 10 * 60_000);
    await prisma.webhookReceipt.updateMany({ data: { status: "processing", claimedAt: staleClaim } });

    expect(await processPendingReceipts()).toBe(1);
    expect((await prisma.webhookReceipt.findFirstOrThrow()).status).toBe("processed");
  });
});
