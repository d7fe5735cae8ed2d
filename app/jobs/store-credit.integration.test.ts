import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { resetDatabase, seedShop, useKlaviyoDouble, useShopifyAdminDouble } from "../../e2e/support/integration";
import { prisma } from "../db.server";
import { adminApiWithToken } from "../platform/admin-graphql.server";
import { readStoreCredit } from "../platform/store-credit.server";
import { storeCreditSettingFor, saveStoreCreditSync } from "../settings/store-credit.server";
import type { Contact } from "../tracking/normalize";
import { DAY_MS } from "../time";
import { queueProfileSync, refreshStoreCreditOnProfiles, syncDueProfiles } from "./profile-sync.server";

// Store credit on Klaviyo profiles (issue #19 item 5): read from the Admin API stand-in (which
// validates every document against Shopify's 2026-07 schema and charges its cost), sent through
// the profiles lane to the Klaviyo double (which checks the body against Klaviyo's OpenAPI spec).
// Runs on SQLite and on PostgreSQL.
const klaviyo = useKlaviyoDouble();
const shopify = useShopifyAdminDouble();

beforeEach(resetDatabase);
// The stand-in reads Shopify's schema on its first document: not within an order's 2 s lookup.
beforeAll(
  async () => void (await adminApiWithToken("warm-up.myshopify.com", "shpat_warm_up").confirmAccess()),
  120_000,
);

const ANN = "gid://shopify/Customer/7001";
const ann: Contact = {
  email: "ann@example.com",
  phone: null,
  firstName: "Ann",
  lastName: "Lee",
  company: null,
  country: "US",
  customerId: ANN,
};

function customerAtShopify(id: string, balances: Array<{ amount: string; currencyCode: string }>) {
  const customer = {
    id,
    storeCreditAccounts: balances.map((balance, index) => ({
      id: `gid://shopify/StoreCreditAccount/${id.split("/").pop()}${index}`,
      balance,
    })),
  };
  shopify.state.store.customers = [
    ...(shopify.state.store.customers ?? []).filter((other) => other !== customer),
    customer,
  ];
  return customer;
}

async function storeWithStoreCredit({ granted = true, enabled = true } = {}) {
  const shop = await seedShop({ connected: true, goLive: true });
  await prisma.shop.update({ where: { id: shop.id }, data: { currency: "USD" } });
  await prisma.session.update({
    where: { id: `offline_${shop.domain}` },
    data: { scope: granted ? "read_orders,read_customers,read_store_credit_accounts" : "read_orders,read_customers" },
  });
  if (enabled) await saveStoreCreditSync(shop.id, true);
  return shop;
}

const storeCreditQueries = () => shopify.state.queries.filter((query) => query.operationName === "CustomerStoreCredit");
const lastImportOf = (email: string) =>
  klaviyo.state.profileImports.filter((sent) => sent.attributes.email === email).at(-1)?.attributes as
    { properties: Record<string, unknown> } | undefined;

describe("store credit on profiles", () => {
  beforeEach(() => {
    shopify.state.store.customers = [];
    shopify.state.queries.length = 0;
  });

  it("is off by default: the profile carries no balance and Shopify is not asked", async () => {
    const shop = await storeWithStoreCredit({ enabled: false });
    customerAtShopify(ANN, [{ amount: "12.50", currencyCode: "USD" }]);
    expect(await storeCreditSettingFor(shop)).toEqual({ enabled: false, scopeGranted: true });

    await queueProfileSync(shop.id, ann);
    expect(await syncDueProfiles()).toBe(1);

    expect(lastImportOf("ann@example.com")?.properties).not.toHaveProperty("waypost_store_credit_balance");
    expect(storeCreditQueries()).toHaveLength(0);
  });

  it("puts the customer's balance and its currency on their Klaviyo profile when an order of theirs is processed", async () => {
    const shop = await storeWithStoreCredit();
    customerAtShopify(ANN, [
      { amount: "12.50", currencyCode: "USD" },
      { amount: "3.00", currencyCode: "CAD" },
    ]);

    await queueProfileSync(shop.id, ann);
    expect(await syncDueProfiles()).toBe(1);

    expect(lastImportOf("ann@example.com")?.properties).toMatchObject({
      waypost_store_credit_balance: 12.5,
      waypost_store_credit_currency: "USD",
      waypost_store_credit_balances: { USD: 12.5, CAD: 3 },
    });
    expect(klaviyo.state.profiles.get(`${klaviyo.state.accounts[0].id}:ann@example.com`)?.properties).toMatchObject({
      waypost_store_credit_balance: 12.5,
    });
    const [query] = storeCreditQueries();
    expect(query.variables).toEqual({ ids: [ANN] });
    expect(query.requestedCost).toBeGreaterThan(0);
    const row = await prisma.customerProfile.findFirstOrThrow({ where: { shopId: shop.id } });
    expect(row.shopifyCustomerId).toBe(ANN);
    expect(JSON.parse(row.storeCredit!)).toEqual([
      { amount: "12.50", currencyCode: "USD" },
      { amount: "3.00", currencyCode: "CAD" },
    ]);
  });

  it("sends a zero balance in the store's currency for a customer with no store-credit account", async () => {
    const shop = await storeWithStoreCredit();
    customerAtShopify(ANN, []);
    await queueProfileSync(shop.id, ann);
    await syncDueProfiles();
    expect(lastImportOf("ann@example.com")?.properties).toMatchObject({
      waypost_store_credit_balance: 0,
      waypost_store_credit_currency: "USD",
    });
  });

  it("says the scope is missing and never asks Shopify without it", async () => {
    const shop = await storeWithStoreCredit({ granted: false });
    customerAtShopify(ANN, [{ amount: "12.50", currencyCode: "USD" }]);
    expect(await storeCreditSettingFor(shop)).toEqual({ enabled: true, scopeGranted: false });

    await queueProfileSync(shop.id, ann);
    await syncDueProfiles();
    expect(lastImportOf("ann@example.com")?.properties).not.toHaveProperty("waypost_store_credit_balance");
    expect(storeCreditQueries()).toHaveLength(0);
    expect(await refreshStoreCreditOnProfiles(new Date(Date.now() + 2 * DAY_MS))).toMatchObject({ read: 0 });
  });

  it("sends no balance when Shopify refuses the read for a scope the merchant took back", async () => {
    const shop = await storeWithStoreCredit();
    customerAtShopify(ANN, [{ amount: "12.50", currencyCode: "USD" }]);
    // Waypost's record says granted; Shopify's says otherwise (an app/scopes_update still on its way).
    shopify.state.scopes[`shpat_${shop.domain}`] = ["read_orders", "read_customers"];
    await queueProfileSync(shop.id, ann);
    await syncDueProfiles();
    expect(lastImportOf("ann@example.com")?.properties).not.toHaveProperty("waypost_store_credit_balance");
    expect(storeCreditQueries()).toHaveLength(0);
    expect((await prisma.customerProfile.findFirstOrThrow({ where: { shopId: shop.id } })).storeCredit).toBeNull();
    expect(await readStoreCredit(adminApiWithToken(shop.domain, `shpat_${shop.domain}`), [ANN])).toMatchObject({
      ok: false,
      kind: "failed",
      detail:
        "Access denied for storeCreditAccounts field. Required access: `read_store_credit_accounts` access scope.",
    });
  });

  it("keeps the balance last read when Shopify does not answer", async () => {
    const shop = await storeWithStoreCredit();
    customerAtShopify(ANN, [{ amount: "12.50", currencyCode: "USD" }]);
    await queueProfileSync(shop.id, ann);
    await syncDueProfiles();

    shopify.state.failAfter = shopify.state.requests;
    try {
      await queueProfileSync(shop.id, { ...ann, firstName: "Annie" });
      await syncDueProfiles();
    } finally {
      shopify.state.failAfter = undefined;
    }
    expect(lastImportOf("ann@example.com")).toMatchObject({
      first_name: "Annie",
      properties: { waypost_store_credit_balance: 12.5 },
    });
  });

  it("reads each balance again at most daily between orders, and sends only a changed one", async () => {
    const shop = await storeWithStoreCredit();
    const customer = customerAtShopify(ANN, [{ amount: "12.50", currencyCode: "USD" }]);
    customerAtShopify("gid://shopify/Customer/7002", [{ amount: "5.00", currencyCode: "USD" }]);
    await queueProfileSync(shop.id, ann);
    await queueProfileSync(shop.id, { ...ann, email: "bo@example.com", customerId: "gid://shopify/Customer/7002" });
    await syncDueProfiles();
    const now = Date.now();

    // Within the day: nothing is read again.
    expect(await refreshStoreCreditOnProfiles(new Date(now + DAY_MS / 2))).toMatchObject({ read: 0, queued: 0 });

    customer.storeCreditAccounts[0].balance = { amount: "20.00", currencyCode: "USD" };
    const imports = klaviyo.state.profileImports.length;
    const refreshed = await refreshStoreCreditOnProfiles(new Date(now + DAY_MS + 60_000));
    // Both read in one document; only Ann's changed.
    expect(refreshed).toMatchObject({ read: 2, queued: 1 });
    expect(storeCreditQueries().at(-1)?.variables).toEqual({ ids: expect.arrayContaining([ANN]) });
    expect(await syncDueProfiles({ now: new Date(now + DAY_MS + 61_000) })).toBe(1);
    expect(klaviyo.state.profileImports.slice(imports)).toHaveLength(1);
    expect(lastImportOf("ann@example.com")).toMatchObject({
      first_name: "Ann",
      properties: { waypost_store_credit_balance: 20, waypost_orders_shipped: 0 },
    });
    expect(await refreshStoreCreditOnProfiles(new Date(now + DAY_MS + 120_000))).toMatchObject({ read: 0 });
  });
});
