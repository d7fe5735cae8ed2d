import { describe, expect, it } from "vitest";
import { prisma } from "../db.server";
import { loader } from "../routes/healthz";

describe("GET /healthz", () => {
  it("reports the database reachable and how much work waits", async () => {
    const shop = await prisma.shop.create({ data: { domain: "health-shop.myshopify.com", name: "Health" } });
    await prisma.trackingEvent.create({ data: { shopId: shop.id, uniqueKey: "h-1", eventKey: "delivered", orderId: "1", status: "queued", payload: "{}" } });
    await prisma.webhookReceipt.create({ data: { webhookId: "h-w", shopDomain: shop.domain, topic: "orders/create", body: "{}" } });

    const response = await loader();
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, database: "reachable", pendingWebhooks: 1, queuedEvents: 1, failedEvents: 0 });
  });
});
