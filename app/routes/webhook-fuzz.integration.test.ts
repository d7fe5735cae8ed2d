import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { seedInstalledShop } from "../../e2e/support/admin-session";
import { signedWebhookRequest } from "../../e2e/support/webhook-signer";
import { TEST_SHOP } from "../../e2e/support/test-config";
import { prisma } from "../db.server";
import { processPendingReceipts } from "../jobs/receipt-worker.server";
import { receiveWebhook } from "../platform/webhook-ingest.server";
import { TRACKING_TOPICS } from "../platform/webhook-topics";

beforeAll(async () => {
  await seedInstalledShop(prisma, TEST_SHOP, "Test Shop");
});

describe("random signed webhooks", () => {
  it("never get a 5xx, and the worker settles every one of them without crashing", async () => {
    let sequence = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...TRACKING_TOPICS),
        fc.oneof(fc.jsonValue(), fc.string()),
        async (topic, payload) => {
          const body = typeof payload === "string" ? payload : JSON.stringify(payload);
          const outcome = await receiveWebhook(
            signedWebhookRequest("https://waypost.test/webhooks", { topic, body, webhookId: `fuzz-${++sequence}` }),
          );
          expect(outcome.httpStatus).toBeLessThan(500);
        },
      ),
      { numRuns: 150 },
    );
    while ((await processPendingReceipts()) > 0);
    // Nothing is left half-done: each receipt was handled (or recorded as unusable) and none is stuck.
    expect(await prisma.webhookReceipt.count({ where: { status: { in: ["pending", "processing"] } } })).toBe(0);
  });
});
