import { readFileSync } from "node:fs";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { defaultShop, startShopifyAdminDouble, type ShopifyAdminDouble } from "../demo/doubles/shopify-admin/server";
import { resetDatabase, seedShop, useKlaviyoDouble } from "../../e2e/support/integration";
import { signedWebhookRequest } from "../../e2e/support/webhook-signer";
import { prisma } from "../db.server";
import { getEnv } from "../env.server";
import { sendDueEvents } from "./event-sender.server";
import { processPendingReceipts } from "./receipt-worker.server";
import { orderStory } from "../platform/sample-order";
import { receiveWebhook } from "../platform/webhook-ingest.server";
import { readMissingShopFacts } from "../shops/shop-facts.server";
import { recordInstall, requireInstalledShop } from "../shops/shops.server";

const SHOP = "harbour-tea.myshopify.com";
const klaviyo = useKlaviyoDouble();
let shopify: ShopifyAdminDouble;
let shopId: string;

const HARBOUR_TEA = {
  ...defaultShop(SHOP),
  name: "Harbour Tea Co.",
  ianaTimezone: "America/New_York",
  currencyCode: "USD",
  contactEmail: "hello@harbourtea.example",
  primaryDomain: { id: "gid://shopify/Domain/7", host: "harbourtea.example", url: "https://harbourtea.example" },
  shopAddress: { id: "gid://shopify/ShopAddress/7", countryCodeV2: "US" },
};
// Shopify's documented shop/update payload: the REST Shop (the facts are read again through GraphQL).
const SHOP_UPDATE = JSON.parse(readFileSync("e2e/fixtures/shopify/shop_update.json", "utf8"));

beforeAll(async () => {
  shopify = await startShopifyAdminDouble({ accessToken: `shpat_${SHOP}` });
  // The stand-in builds Shopify's schema on its first request: seconds on a busy machine.
  await fetch(`${shopify.url}/admin/api/2026-07/graphql.json`, {
    method: "POST",
    headers: { "X-Shopify-Access-Token": `shpat_${SHOP}` },
    body: JSON.stringify({ query: "{ shop { name } }" }),
  });
}, 120_000);
afterAll(async () => shopify.close());

beforeEach(async () => {
  (getEnv() as { shopifyAdminApiUrl?: string }).shopifyAdminApiUrl = shopify.url;
  shopify.state.store.shop = { ...HARBOUR_TEA };
  shopify.state.failAfter = undefined;
  await resetDatabase();
  // An offline session and a bare shop row, as Shopify's install leaves them before afterAuth runs.
  shopId = (await seedShop({ domain: SHOP, name: SHOP, connected: true, goLive: true })).id;
});

async function deliver(webhooks: Array<{ topic: string; body: unknown }>) {
  for (const webhook of webhooks) {
    const outcome = await receiveWebhook(
      signedWebhookRequest("https://waypost.test/webhooks", { ...webhook, shop: SHOP }),
    );
    expect(outcome.httpStatus).toBe(200);
  }
  while ((await processPendingReceipts()) > 0);
  while ((await sendDueEvents()).sent > 0);
}

const deliveredEvent = (orderId: number) =>
  klaviyo.state.events.find((event) => event.metric === "Delivered" && event.uniqueId?.includes(`:${orderId}:`));

describe("the store's facts come from Shopify", () => {
  it("install reads them; shop/update changes them; later events carry the new name and dates in the new zone", async () => {
    await recordInstall(SHOP, { accessToken: `shpat_${SHOP}` });
    expect(await prisma.shop.findUniqueOrThrow({ where: { id: shopId } })).toMatchObject({
      name: "Harbour Tea Co.",
      timezone: "America/New_York",
      currency: "USD",
      countryCode: "US",
      primaryDomainHost: "harbourtea.example",
      contactEmail: "hello@harbourtea.example",
      factsReadAt: expect.any(Date),
    });

    // The estimated delivery is 2026-11-24T22:00Z: Tuesday in New York, already Wednesday in Auckland.
    await deliver(orderStory({ orderId: 1001 }));
    expect(deliveredEvent(1001)!.properties).toMatchObject({
      store_name: "Harbour Tea Co.",
      store_domain: "harbourtea.example",
      estimated_delivery_date: "Tuesday, November 24",
    });

    shopify.state.store.shop = {
      ...HARBOUR_TEA,
      name: "Harbour Tea & Mugs",
      ianaTimezone: "Pacific/Auckland",
      currencyCode: "NZD",
      shopAddress: { id: "gid://shopify/ShopAddress/7", countryCodeV2: "NZ" },
    };
    await deliver([{ topic: "shop/update", body: SHOP_UPDATE }]);
    expect(await prisma.webhookReceipt.findFirst({ where: { topic: "shop/update" } })).toMatchObject({
      status: "processed",
    });
    expect(await prisma.shop.findUniqueOrThrow({ where: { id: shopId } })).toMatchObject({
      name: "Harbour Tea & Mugs",
      timezone: "Pacific/Auckland",
      currency: "NZD",
      countryCode: "NZ",
    });

    await deliver(orderStory({ orderId: 1002 }));
    expect(deliveredEvent(1002)!.properties).toMatchObject({
      store_name: "Harbour Tea & Mugs",
      estimated_delivery_date: "Wednesday, November 25",
    });
    // What was sent before stays as it was sent.
    expect(deliveredEvent(1001)!.properties.store_name).toBe("Harbour Tea Co.");
  });

  it("a Shopify that cannot be reached at install leaves the facts unread, not invented, and the background retry reads them", async () => {
    shopify.state.failAfter = 0;
    const installed = await recordInstall(SHOP, { accessToken: `shpat_${SHOP}` });
    expect(installed).toMatchObject({ name: SHOP, timezone: "UTC", currency: null, factsReadAt: null });
    // An admin page still renders for the shop, without the facts.
    expect(await requireInstalledShop(SHOP)).toMatchObject({ name: SHOP, factsReadAt: null });

    expect(await readMissingShopFacts()).toBe(0);
    shopify.state.failAfter = undefined;
    expect(await readMissingShopFacts()).toBe(1);
    expect(await prisma.shop.findUniqueOrThrow({ where: { id: shopId } })).toMatchObject({
      name: "Harbour Tea Co.",
      timezone: "America/New_York",
      factsReadAt: expect.any(Date),
    });
    expect(await readMissingShopFacts()).toBe(0);
  });

  it("an admin request that finds a shop without facts reads them then", async () => {
    expect((await prisma.shop.findUniqueOrThrow({ where: { id: shopId } })).factsReadAt).toBeNull();
    expect(await requireInstalledShop(SHOP)).toMatchObject({ name: "Harbour Tea Co.", currency: "USD" });
  });
});
