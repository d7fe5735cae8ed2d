import { beforeEach, describe, expect, it } from "vitest";
import { adminRequest } from "../../e2e/support/admin-session";
import { resetDatabase, seedShop } from "../../e2e/support/integration";
import { OTHER_SHOP, TEST_SHOP } from "../../e2e/support/test-config";
import { prisma } from "../db.server";
import * as activity from "./app.activity";

let shopId: string;
beforeEach(async () => {
  await resetDatabase();
  shopId = (await seedShop({ domain: TEST_SHOP, name: TEST_SHOP })).id;
  await seedShop({ domain: OTHER_SHOP, name: OTHER_SHOP });
});

const receipt = (webhookId: string, data: Record<string, unknown>) =>
  prisma.webhookReceipt.create({
    data: { webhookId, shopDomain: TEST_SHOP, shopId, topic: "fulfillment_events/create", body: "{}", ...data },
  });

describe("Activity's store updates", () => {
  it("show each receipt's state with why, and a failed one can be retried by its own shop only", async () => {
    const failed = await receipt("w-failed", { status: "failed", lastError: "database was restarting" });
    await receipt("w-waiting", {
      status: "waiting",
      outcome: "waiting for Shopify",
      lastError: "Shopify answered 503",
      nextAttemptAt: new Date(Date.now() + 60_000),
    });
    await receipt("w-done", { status: "processed", outcome: "1 event recorded: 1 to send" });
    await receipt("w-ignored", { status: "ignored", ignoredReason: "shop uninstalled Waypost" });

    const page = await (
      await activity.loader({ request: await adminRequest(TEST_SHOP, "/app/activity"), params: {}, context: {} })
    ).json();
    const shown = Object.fromEntries(
      page.webhooks.map((webhook) => [webhook.status, [webhook.reason, Boolean(webhook.nextAttemptAt)]]),
    );
    expect(shown).toEqual({
      failed: ["database was restarting", false],
      waiting: ["waiting for Shopify: Shopify answered 503", true],
      processed: ["1 event recorded: 1 to send", false],
      ignored: ["shop uninstalled Waypost", false],
    });

    const retry = async (asShop: string, receiptId: string) =>
      activity.action({
        request: await adminRequest(asShop, "/app/activity", { intent: "retry_receipt", receiptId }),
        params: {},
        context: {},
      });
    expect((await retry(OTHER_SHOP, failed.id)).status).toBe(404);
    expect((await prisma.webhookReceipt.findUniqueOrThrow({ where: { id: failed.id } })).status).toBe("failed");
    expect((await retry(TEST_SHOP, "no-such-receipt")).status).toBe(404);

    const accepted = await retry(TEST_SHOP, failed.id);
    expect(accepted.status).toBe(200);
    expect(await accepted.json()).toMatchObject({ retried: true, error: null });
    expect(await prisma.webhookReceipt.findUniqueOrThrow({ where: { id: failed.id } })).toMatchObject({
      status: "pending",
      nextAttemptAt: null,
    });
  });
});
