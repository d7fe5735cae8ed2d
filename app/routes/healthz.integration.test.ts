import { beforeEach, describe, expect, it } from "vitest";
import { queueEvents } from "../../e2e/support/delivery-fixtures";
import { resetDatabase } from "../../e2e/support/integration";
import { prisma } from "../db.server";
import { DEPTH_COUNT_CAP, queueDepth } from "../jobs/event-queue/depth.server";
import { recordEvents, type NewEvent } from "../jobs/event-queue/record.server";
import { loader } from "./healthz";

const eventOf = (shopId: string, uniqueKey: string, status: string, nextAttemptAt: Date | null) =>
  ({ shopId, uniqueKey, eventKey: "delivered", orderId: "1", status, payload: "{}", nextAttemptAt }) as NewEvent;

beforeEach(resetDatabase);

describe("GET /healthz", () => {
  it("reports the database reachable and how much work waits", async () => {
    const shop = await prisma.shop.create({ data: { domain: "health-shop.myshopify.com", name: "Health" } });
    await recordEvents(shop.id, [
      eventOf(shop.id, "ready", "queued", new Date(Date.now() - 90_000)),
      eventOf(shop.id, "retry-later", "queued", new Date(Date.now() + 60_000)),
    ]);
    await prisma.trackingEvent.createMany({
      data: [eventOf(shop.id, "dead", "dead_lettered", null), eventOf(shop.id, "done", "sent", null)],
    });
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
      events: { ready: 1, scheduled: 1, sending: 0, deadLettered: 1, capped: [] },
    });
    expect(health.events?.oldestReadyAgeSeconds).toBeGreaterThanOrEqual(90);
  });

  it("stops counting at the cap, so a probe costs the same with a million events waiting", async () => {
    const shop = await prisma.shop.create({ data: { domain: "deep-queue.myshopify.com", name: "Deep" } });
    await queueEvents(prisma, shop.id, "deep", 5, new Date(Date.now() - 1000));
    expect(await queueDepth(new Date(), 3)).toMatchObject({ ready: 3, capped: ["ready"] });
    expect(await queueDepth(new Date())).toMatchObject({ ready: 5, capped: [] });
    expect(DEPTH_COUNT_CAP).toBe(10_000);
  });
});
