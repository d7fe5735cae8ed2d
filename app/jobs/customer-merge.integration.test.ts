import { beforeEach, describe, expect, it } from "vitest";
import { shopifyFixtureText } from "../../e2e/support/shopify-payloads";
import { resetDatabase, seedShop, useKlaviyoDouble } from "../../e2e/support/integration";
import { signedWebhookRequest } from "../../e2e/support/webhook-signer";
import { prisma } from "../db.server";
import { receiveWebhook } from "../platform/webhook-ingest.server";
import { recentWebhooks } from "../platform/webhook-receipts.server";
import type { Contact } from "../tracking/normalize";
import { syncDueProfiles, queueProfileSync } from "./profile-sync.server";
import { processPendingReceipts } from "./receipt-worker.server";

// customers/merge (issue #19 item 7): Shopify's documented payload, signed and received as
// Shopify sends it, merges the two customers' Klaviyo profiles with Merge Profiles at the
// Klaviyo double (which checks the body against Klaviyo's OpenAPI spec and refuses what Klaviyo
// refuses). Runs on SQLite and on PostgreSQL.
const klaviyo = useKlaviyoDouble();

beforeEach(resetDatabase);

const KEPT = "gid://shopify/Customer/1";
const DELETED = "gid://shopify/Customer/2";
const contact = (email: string, customerId: string): Contact => ({
  email,
  phone: null,
  firstName: "Ann",
  lastName: "Lee",
  company: null,
  country: "US",
  customerId,
});

let deliveries = 0;
async function deliverMerge(shop: string, body: string) {
  const outcome = await receiveWebhook(
    signedWebhookRequest("https://waypost.test/webhooks", {
      topic: "customers/merge",
      shop,
      body,
      webhookId: `merge-${++deliveries}`,
    }),
  );
  expect(outcome.kind).toBe("stored");
  while ((await processPendingReceipts()) > 0);
  return prisma.webhookReceipt.findUniqueOrThrow({ where: { id: "receiptId" in outcome ? outcome.receiptId : "" } });
}

const completed = shopifyFixtureText("customers_merge.derived_completed");

async function shopWithTwoCustomersInKlaviyo() {
  const shop = await seedShop({ connected: true, goLive: true });
  await queueProfileSync(shop.id, contact("ann@example.com", KEPT));
  await queueProfileSync(shop.id, contact("ann.old@example.com", DELETED));
  expect(await syncDueProfiles()).toBe(2);
  return shop;
}

describe("customer merges", () => {
  it("merges the merged-away customer's Klaviyo profile into the kept one's, once, and says so in the receipt", async () => {
    const shop = await shopWithTwoCustomersInKlaviyo();
    const account = klaviyo.state.accounts[0].id;
    const keptProfile = `${account}:ann@example.com`;
    const oldProfile = `${account}:ann.old@example.com`;
    expect(klaviyo.state.profiles.has(oldProfile)).toBe(true);

    const receipt = await deliverMerge(shop.domain, completed);

    expect(klaviyo.state.profileMerges).toEqual([
      { accountId: account, destinationId: keptProfile, sourceId: oldProfile },
    ]);
    expect(klaviyo.state.profiles.has(oldProfile)).toBe(false);
    expect(receipt).toMatchObject({
      status: "processed",
      outcome: `Merged Klaviyo profile ${oldProfile} into ${keptProfile}, as Shopify merged ${DELETED} into ${KEPT}`,
    });
    // Activity's store updates show it, with what was merged.
    const [shown] = await recentWebhooks(shop.id);
    expect(shown).toMatchObject({ topic: "customers/merge", status: "processed", reason: receipt.outcome });

    // Both rows now name the customer that still exists at Shopify (store credit is read for it).
    const rows = await prisma.customerProfile.findMany({ where: { shopId: shop.id } });
    expect(rows.map((row) => row.shopifyCustomerId)).toEqual([KEPT, KEPT]);
    expect(new Set(rows.map((row) => row.klaviyoProfileId))).toEqual(new Set([keptProfile]));

    // Shopify may deliver it again: nothing is merged twice.
    const again = await deliverMerge(shop.domain, completed);
    expect(again.outcome).toMatch(/nothing to merge in Klaviyo/);
    expect(klaviyo.state.profileMerges).toHaveLength(1);
  });

  it("merges nothing for a merge Shopify reports as failed (its documented sample) and names why", async () => {
    const shop = await shopWithTwoCustomersInKlaviyo();
    const receipt = await deliverMerge(shop.domain, shopifyFixtureText("customers_merge"));
    expect(receipt).toMatchObject({
      status: "ignored",
      ignoredReason:
        "Shopify did not complete this merge (failed: John Doe is currently being merged.): nothing merged in Klaviyo",
    });
    expect(klaviyo.state.profileMerges).toEqual([]);
  });

  it("records a body without the two customers as such, and a customer Waypost never sent as nothing to merge", async () => {
    const shop = await seedShop({ connected: true, goLive: true });
    const malformed = await deliverMerge(shop.domain, JSON.stringify({ status: "completed" }));
    expect(malformed).toMatchObject({
      status: "ignored",
      ignoredReason: "customers/merge body names no kept and deleted customer",
    });

    const unknown = await deliverMerge(shop.domain, completed);
    expect(unknown.status).toBe("processed");
    expect(unknown.outcome).toMatch(/at most one of them: nothing to merge in Klaviyo/);
    expect(klaviyo.state.profileMerges).toEqual([]);
  });

  it("waits while Klaviyo's merge limit is used up, and merges when it is answered", async () => {
    const shop = await shopWithTwoCustomersInKlaviyo();
    klaviyo.state.faults = { errorRate: 1, latencyMs: 0 };
    try {
      const receipt = await deliverMerge(shop.domain, completed);
      expect(receipt).toMatchObject({ status: "waiting", outcome: "waiting for Klaviyo" });
      expect(receipt.nextAttemptAt).not.toBeNull();
    } finally {
      klaviyo.state.faults = { errorRate: 0, latencyMs: 0 };
    }
    // The failed attempt spent the lane's token for this second: the retry comes once it refills.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await prisma.webhookReceipt.updateMany({
      where: { topic: "customers/merge" },
      data: { nextAttemptAt: new Date() },
    });
    while ((await processPendingReceipts()) > 0);
    expect(klaviyo.state.profileMerges).toHaveLength(1);
  });
});

describe("the Klaviyo double's Merge Profiles", () => {
  const merge = (body: unknown) =>
    fetch(`${klaviyo.url}/api/profile-merge`, {
      method: "POST",
      headers: {
        Authorization: `Klaviyo-API-Key ${klaviyo.state.accounts[0].privateKeys[0]}`,
        revision: "2026-07-15",
        "Content-Type": "application/vnd.api+json",
        Accept: "application/vnd.api+json",
      },
      body: JSON.stringify(body),
    });

  it("refuses what Klaviyo's spec refuses, a profile merged into itself, and profiles it does not hold", async () => {
    const body = (destination: string, source: string) => ({
      data: {
        type: "profile-merge",
        id: destination,
        relationships: { profiles: { data: [{ type: "profile", id: source }] } },
      },
    });
    expect((await merge({ data: { type: "profile-merge", id: "A" } })).status).toBe(400);
    expect((await merge({ data: { type: "profile", id: "A", relationships: { profiles: {} } } })).status).toBe(400);
    expect((await merge(body("A", "A"))).status).toBe(400);
    expect((await merge(body("A", "B"))).status).toBe(404);
  });
});
