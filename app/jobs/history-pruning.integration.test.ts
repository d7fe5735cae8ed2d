import { beforeEach, describe, expect, it } from "vitest";
import { resetDatabase, seedShop } from "../../e2e/support/integration";
import { prisma } from "../db.server";
import { DAY_MS } from "../time";
import { pruneHistory } from "./history-pruning.server";

beforeEach(resetDatabase);

describe("history pruning", () => {
  it("prunes finished history past the retention window, keeping dead letters and recent events", async () => {
    const shop = await seedShop({ domain: "old.myshopify.com", name: "old" });
    const now = new Date();
    const long = new Date(now.getTime() - 100 * DAY_MS);
    for (const [uniqueKey, status, detectedAt] of [
      ["old-sent", "sent", long],
      ["old-dead", "dead_lettered", long],
      ["new-sent", "sent", now],
    ] as const) {
      await prisma.trackingEvent.create({
        data: { shopId: shop.id, uniqueKey, eventKey: "delivered", orderId: "1", status, detectedAt },
      });
    }
    expect(await pruneHistory(now, 90)).toMatchObject({ events: 1 });
    expect(
      (await prisma.trackingEvent.findMany({ where: { shopId: shop.id }, orderBy: { uniqueKey: "asc" } })).map(
        (event) => event.uniqueKey,
      ),
    ).toEqual(["new-sent", "old-dead"]);
  });
});
