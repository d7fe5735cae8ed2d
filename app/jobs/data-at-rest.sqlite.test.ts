import { readFileSync, existsSync } from "node:fs";
import { beforeEach, describe, expect, it } from "vitest";
import { resetDatabase, seedShop, useKlaviyoDouble } from "../../e2e/support/integration";
import { TEST_SHOP } from "../../e2e/support/test-config";
import { signedWebhookRequest } from "../../e2e/support/webhook-signer";
import { prisma } from "../db.server";
import { sqliteFilePath } from "../db/adapter.server";
import { getEnv } from "../env.server";
import { orderStory } from "../platform/sample-order";
import { receiveWebhook } from "../platform/webhook-ingest.server";
import { sendDueEvents } from "./event-sender.server";
import { syncDueProfiles } from "./profile-sync.server";
import { processPendingReceipts } from "./receipt-worker.server";

// What a redaction leaves on disk (security review F8): the rows go, and so must every copy of
// them in the SQLite file's freed pages and its write-ahead log. A file of SQLite's alone
// (*.sqlite.test.ts): PostgreSQL keeps no such file for a test to read.

const double = useKlaviyoDouble();

/** Every byte of the database on disk: the main file and its write-ahead log. */
function databaseBytes(): Buffer {
  const file = sqliteFilePath(getEnv().databaseUrl);
  return Buffer.concat([file, `${file}-wal`].filter(existsSync).map((path) => readFileSync(path)));
}

const copiesOf = (text: string) => {
  const bytes = databaseBytes();
  let count = 0;
  for (let at = bytes.indexOf(text); at !== -1; at = bytes.indexOf(text, at + 1)) count++;
  return count;
};

async function deliver(topic: string, body: unknown) {
  const outcome = await receiveWebhook(signedWebhookRequest("https://waypost.test/webhooks", { topic, body }));
  expect(outcome.httpStatus).toBe(200);
  while ((await processPendingReceipts()) > 0);
}

beforeEach(async () => {
  await resetDatabase();
  await seedShop({ connected: true, goLive: true });
});

describe("data at rest in SQLite", () => {
  it("after customers/redact, no copy of the customer's email is left anywhere in the database file", async () => {
    const email = `zz-redact-${Date.now()}@example.com`;
    for (const orderId of [7701, 7702]) {
      for (const webhook of orderStory({ orderId, email })) await deliver(webhook.topic, webhook.body);
    }
    while ((await sendDueEvents({ now: new Date() })).sent > 0);
    await syncDueProfiles({ now: new Date() });
    expect(double.state.events.length).toBeGreaterThan(0);
    expect(copiesOf(email)).toBeGreaterThan(0);

    await deliver("customers/redact", {
      shop_id: 1,
      shop_domain: TEST_SHOP,
      customer: { id: 5, email, phone: null },
      orders_to_redact: [7701],
    });

    expect(await prisma.complianceRequest.count({ where: { topic: "customers/redact" } })).toBe(1);
    expect(copiesOf(email)).toBe(0);
  });

  it("after shop/redact, nothing of the shop's customers is left in the database file", async () => {
    const email = `zz-shop-redact-${Date.now()}@example.com`;
    for (const webhook of orderStory({ orderId: 7801, email })) await deliver(webhook.topic, webhook.body);
    await prisma.session.deleteMany({ where: { shop: TEST_SHOP } });
    expect(copiesOf(email)).toBeGreaterThan(0);

    await deliver("shop/redact", { shop_id: 1, shop_domain: TEST_SHOP });

    expect(await prisma.shop.count()).toBe(0);
    expect(copiesOf(email)).toBe(0);
  });

  it("overwrites what it deletes on every connection", async () => {
    expect(await prisma.$queryRawUnsafe("PRAGMA secure_delete")).toEqual([{ secure_delete: 1n }]);
  });
});
