import { beforeEach, describe, expect, it } from "vitest";
import { adminRequest } from "../../e2e/support/admin-session";
import { resetDatabase, seedShop } from "../../e2e/support/integration";
import { OTHER_SHOP, TEST_SHOP } from "../../e2e/support/test-config";
import { prisma } from "../db.server";
import * as dashboard from "./app._index";

beforeEach(async () => {
  await resetDatabase();
  await seedShop({ domain: TEST_SHOP, name: TEST_SHOP });
  await seedShop({ domain: OTHER_SHOP, name: OTHER_SHOP });
});

describe("Dashboard", () => {
  it("counts the shop's own live events on the dashboard by when they happened, by status and event, for 24 hours and 7 days", async () => {
    const mine = await prisma.shop.findUniqueOrThrow({ where: { domain: TEST_SHOP } });
    const theirs = await prisma.shop.findUniqueOrThrow({ where: { domain: OTHER_SHOP } });
    const daysAgo = (days: number) => new Date(Date.now() - days * 24 * 60 * 60_000);
    const rows: Array<[string, string, string, Date, string?]> = [
      [mine.id, "delivered", "sent", daysAgo(0.1)],
      [mine.id, "delivered", "dead_lettered", daysAgo(3)],
      [mine.id, "in_transit", "skipped", daysAgo(0.5)],
      [mine.id, "in_transit", "sent", daysAgo(10)],
      // Detected today, but imported from weeks ago or sent as a test: not today's live sends.
      [mine.id, "delivered", "sent", daysAgo(30), "imported"],
      [mine.id, "delivered", "sent", daysAgo(0.1), "test"],
      [theirs.id, "delivered", "sent", daysAgo(0.1)],
    ];
    for (const [index, [shopId, eventKey, status, occurredAt, source]] of rows.entries()) {
      await prisma.trackingEvent.create({
        data: { shopId, uniqueKey: `c-${index}`, eventKey, orderId: "1", status, occurredAt, source },
      });
    }
    const data = await (
      await dashboard.loader({ request: await adminRequest(TEST_SHOP, "/app"), params: {}, context: {} })
    ).json();
    expect(data.events.lastDay.byStatus).toEqual({ sent: 1, skipped: 1 });
    expect(data.events.lastWeek.byStatus).toEqual({ sent: 1, dead_lettered: 1, skipped: 1 });
    expect(data.events.lastWeek.byEvent).toEqual({
      delivered: { sent: 1, dead_lettered: 1 },
      in_transit: { skipped: 1 },
    });
  });
});
