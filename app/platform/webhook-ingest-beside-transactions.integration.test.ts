import { beforeEach, describe, expect, it } from "vitest";
import { resetDatabase, seedShop, useKlaviyoDouble } from "../../e2e/support/integration";
import { shopifyFixtureFor } from "../../e2e/support/shopify-payloads";
import { TEST_SHOP } from "../../e2e/support/test-config";
import { signedWebhookRequest } from "../../e2e/support/webhook-signer";
import { prisma } from "../db.server";
import { at, execute, sql } from "../db/sql.server";
import { receiveWebhook } from "./webhook-ingest.server";

// The workers record events in transactions that stay open across awaits, and one fails whenever
// another receipt recorded the same event first. On SQLite every statement shares one connection:
// a webhook answered 200 while such a transaction was open must not be rolled back with it.
useKlaviyoDouble();
let shopId: string;
beforeEach(async () => {
  await resetDatabase();
  shopId = (await seedShop({ connected: true, goLive: true })).id;
});

const orderCreated = (id: number) =>
  signedWebhookRequest("https://waypost.test/webhooks", {
    topic: "orders/create",
    webhookId: `beside-transaction-${id}`,
    body: { ...JSON.parse(shopifyFixtureFor("orders_create", TEST_SHOP)), id, name: `#${id}` },
  });

/** Runs `meanwhile` while a transaction that wrote a row is open, then rolls that transaction back. */
async function duringFailedTransaction<T>(meanwhile: () => Promise<T>): Promise<T> {
  let started: Promise<T> | undefined;
  await expect(
    prisma.$transaction(async (tx) => {
      await tx.shop.update({ where: { id: shopId }, data: { name: "renamed in the failed transaction" } });
      // Started now: a Prisma statement runs only once something waits on it.
      started = Promise.resolve(meanwhile());
      // The transaction stays open across turns of the event loop, as the recorder's does.
      await new Promise((resolve) => setTimeout(resolve, 30));
      throw new Error("recorded first elsewhere");
    }),
  ).rejects.toThrow("recorded first elsewhere");
  return started!;
}

describe("a webhook stored while a transaction is open", () => {
  it("is kept when that transaction rolls back", async () => {
    const outcome = await duringFailedTransaction(() => receiveWebhook(orderCreated(9_100_001)));

    expect(outcome).toMatchObject({ kind: "stored", httpStatus: 200 });
    const receipt = await prisma.webhookReceipt.findUniqueOrThrow({
      where: { webhookId: "beside-transaction-9100001" },
    });
    expect(receipt).toMatchObject({ shopId, topic: "orders/create", orderId: "9100001", status: "pending" });
    expect(receipt.receivedAt.getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect((await prisma.shop.findUniqueOrThrow({ where: { id: shopId } })).name).not.toBe(
      "renamed in the failed transaction",
    );
  });

  it("so is a row Prisma writes with a statement of its own meanwhile", async () => {
    await duringFailedTransaction(() =>
      execute(sql`
        INSERT INTO "WebhookReceipt" ("id", "webhookId", "shopDomain", "topic", "receivedAt", "body", "status")
        VALUES ('raw-receipt', 'written-by-prisma', ${TEST_SHOP}, 'orders/create', ${at(new Date())}, '{}', 'pending')`),
    );

    expect(await prisma.webhookReceipt.count({ where: { webhookId: "written-by-prisma" } })).toBe(1);
  });

  it("a duplicate of it is still answered as one", async () => {
    const first = await receiveWebhook(orderCreated(9_100_002));
    const again = await duringFailedTransaction(() => receiveWebhook(orderCreated(9_100_002)));

    expect(again).toMatchObject({ kind: "duplicate", receiptId: "receiptId" in first ? first.receiptId : "" });
    expect(await prisma.webhookReceipt.count({ where: { orderId: "9100002" } })).toBe(1);
  });
});
