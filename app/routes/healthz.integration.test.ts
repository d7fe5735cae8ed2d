import { describe, expect, it } from "vitest";
import { prisma } from "../db.server";
import { loader } from "./healthz";

describe("GET /healthz", () => {
  it("reports the database reachable and how much work waits", async () => {
    const shop = await prisma.shop.create({ data: { domain: "health-shop.myshopify.com", name: "Health" } });
    const event = (uniqueKey: string, status: string, nextAttemptAt: Date | null) =>
      prisma.trackingEvent.create({
        data: { shopId: shop.id, uniqueKey, eventKey: "delivered", orderId: "1", status, payload: "{}", nextAttemptAt },
      });
    await event("ready", "queued", new Date(Date.now() - 90_000));
    await event("retry-later", "queued", new Date(Date.now() + 60_000));
    await event("dead", "dead_lettered", null);
    await event("done", "sent", null);
    await prisma.webhookReceipt.create({
      data: { webhookId: "h-w", shopDomain: shop.domain, topic: "orders/create", body: "{}" },
    });

    const response = await loader();
    expect(response.status).toBe(200);
    const health = await response.json();
    expect(health).toMatchObject({
      ok: true,
      database: "reachable",
      pendingWebhooks: 1,
      events: { ready: 1, scheduled: 1, sending: 0, deadLettered: 1 },
    });
    expect(health.events?.oldestReadyAgeSeconds).toBeGreaterThanOrEqual(90);
  });
});
