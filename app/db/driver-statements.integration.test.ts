import { beforeEach, describe, expect, it } from "vitest";
import { resetDatabase } from "../../e2e/support/integration";
import { TEST_SHOP } from "../../e2e/support/test-config";
import { prisma } from "../db.server";
import { at, executeByDriver, queryRowsByDriver, sql } from "./sql.server";

// The hottest statements (a webhook's receipt; on PostgreSQL the engine's claims and settlements)
// go to the driver directly; on SQLite those of one turn of the event loop are committed together.
beforeEach(() => resetDatabase());

const receipt = (webhookId: string, receivedAt = new Date()) => sql`
  INSERT INTO "WebhookReceipt" ("id", "webhookId", "shopDomain", "topic", "receivedAt", "body", "status")
  VALUES (${`receipt-${webhookId}`}, ${webhookId}, ${TEST_SHOP}, 'orders/create', ${at(receivedAt)}, '{}', 'pending')`;

describe("statements sent to the database driver directly", () => {
  it("issued together, each succeeds or fails on its own", async () => {
    await executeByDriver(receipt("taken"));

    const outcomes = await Promise.allSettled([
      executeByDriver(receipt("first")),
      executeByDriver(receipt("taken")),
      executeByDriver(receipt("third")),
    ]);

    expect(outcomes.map((outcome) => outcome.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    const stored = await prisma.webhookReceipt.findMany({ select: { webhookId: true }, orderBy: { webhookId: "asc" } });
    expect(stored.map((row) => row.webhookId)).toEqual(["first", "taken", "third"]);
  });

  it("write times and read rows as Prisma does", async () => {
    const receivedAt = new Date("2026-11-27T10:15:30.123Z");
    await executeByDriver(receipt("timed", receivedAt));

    expect((await prisma.webhookReceipt.findUniqueOrThrow({ where: { webhookId: "timed" } })).receivedAt).toEqual(
      receivedAt,
    );
    const rows = await queryRowsByDriver<{ webhookId: string; attempts: number }>(
      sql`SELECT "webhookId", "attempts" FROM "WebhookReceipt" WHERE "receivedAt" = ${at(receivedAt)}`,
    );
    expect(rows).toEqual([{ webhookId: "timed", attempts: 0 }]);
  });
});
