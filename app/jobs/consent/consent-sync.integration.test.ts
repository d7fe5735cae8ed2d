import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { resetDatabase, seedShop, useKlaviyoDouble, useShopifyAdminDouble } from "../../../e2e/support/integration";
import { deliver, unsubscribe } from "../../demo/doubles/klaviyo/consent-routes";
import { prisma } from "../../db.server";
import { getEnv } from "../../env.server";
import { answerKlaviyoWebhook } from "../../klaviyo/consent-webhook-ingest.server";
import { saveOAuthConnection } from "../../klaviyo/connection-store.server";
import { applyDueConsentChanges } from "./consent-apply.server";
import { pollConsentChanges } from "./consent-poll.server";
import { consentSyncFor, POLL_BECAUSE_PRIVATE_KEY, setConsentSync } from "./consent-sync.server";

const klaviyo = useKlaviyoDouble();
const shopify = useShopifyAdminDouble();

// Klaviyo's deliveries reach Waypost's answer over real HTTP, on a port of their own.
let door: Server;
beforeAll(async () => {
  door = createServer(async (request, response) => {
    if (request.url !== "/klaviyo/webhooks") return response.writeHead(404).end();
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const header = (name: string) => (request.headers[name] as string | undefined) ?? null;
    const { status, body } = await answerKlaviyoWebhook({ header, rawBody: Buffer.concat(chunks) });
    response.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => door.listen(0, "127.0.0.1", resolve));
  (getEnv() as { appUrl: string }).appUrl = `http://127.0.0.1:${(door.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => door.close(() => resolve())));

beforeEach(async () => {
  await resetDatabase();
  shopify.state.store.customers = [
    {
      id: "gid://shopify/Customer/101",
      defaultEmailAddress: { emailAddress: "ada@example.com", marketingState: "SUBSCRIBED", marketingUpdatedAt: null },
      defaultPhoneNumber: { phoneNumber: "+447700900123", marketingState: "SUBSCRIBED", marketingUpdatedAt: null },
    },
  ];
  shopify.state.queries.length = 0;
});

const customer = () =>
  shopify.state.store.customers![0] as {
    defaultEmailAddress: { marketingState: string };
    defaultPhoneNumber: { marketingState: string };
  };

/** A shop connected to the double's account by OAuth, with the consent scopes granted. */
async function oauthShop() {
  const shop = await seedShop();
  const account = klaviyo.state.accounts[0];
  const scopes = ["events:read", "events:write", "profiles:read", "profiles:write", "metrics:read", "flows:read"];
  const tokens = { accessToken: "at_consent_test", refreshToken: "rt_consent_test", expiresIn: 3600 };
  klaviyo.state.tokens.push({
    ...tokens,
    accountId: account.id,
    clientId: "test",
    scopes: [...scopes, "webhooks:read", "webhooks:write"],
    accessExpiresAt: Date.now() + 3_600_000,
    revoked: false,
  });
  await saveOAuthConnection(shop.id, { id: account.id, name: account.name }, { ...tokens, scope: scopes.join(" ") });
  return shop;
}

describe("consent sync", () => {
  it("is off until the merchant turns it on, and then nothing from before is changed", async () => {
    const shop = await oauthShop();
    expect(await consentSyncFor(shop.id)).toMatchObject({ enabled: false });
    await unsubscribe(klaviyo.state, { channel: "email", email: "ada@example.com" });
    await setConsentSync(shop.id, true);
    expect(await pollConsentChanges()).toBe(0);
    expect(await prisma.consentChange.count()).toBe(0);
  });

  it("registers a Klaviyo webhook with an OAuth connection, and a signed unsubscribe marks the Shopify customer", async () => {
    const shop = await oauthShop();
    const sync = await setConsentSync(shop.id, true);
    expect(sync).toMatchObject({ enabled: true, mode: "webhook", modeReason: null });
    const [webhook] = klaviyo.state.webhooks;
    expect(webhook.topics.sort()).toEqual([
      "event:klaviyo.unsubscribed_from_email_marketing",
      "event:klaviyo.unsubscribed_from_sms_marketing",
    ]);
    expect(webhook.endpointUrl).toBe(`${getEnv().appUrl}/klaviyo/webhooks`);

    const made = await unsubscribe(klaviyo.state, { channel: "email", email: "Ada@Example.com" });
    expect(made.deliveries).toEqual([{ webhookId: webhook.id, status: 200 }]);
    const [stored] = await prisma.consentChange.findMany();
    expect(stored).toMatchObject({
      status: "pending",
      source: "webhook",
      channel: "email",
      klaviyoEventId: made.eventId,
    });

    expect(await applyDueConsentChanges()).toBe(1);
    const applied = await prisma.consentChange.findUniqueOrThrow({ where: { id: stored.id } });
    expect(applied).toMatchObject({
      status: "applied",
      email: "ada@example.com",
      shopifyCustomerId: "gid://shopify/Customer/101",
      result: "Unsubscribed from email marketing in Shopify",
    });
    expect(customer().defaultEmailAddress.marketingState).toBe("UNSUBSCRIBED");
    expect(customer().defaultPhoneNumber.marketingState).toBe("SUBSCRIBED");
    expect(shopify.state.queries.map((query) => query.operationName)).toEqual([
      "WaypostCustomerByIdentifier",
      "WaypostEmailUnsubscribe",
    ]);
  });

  it("refuses a delivery whose signature is not the webhook's secret, and stores nothing", async () => {
    const shop = await oauthShop();
    await setConsentSync(shop.id, true);
    const [webhook] = klaviyo.state.webhooks;
    const event = {
      id: "EVforged",
      accountId: webhook.accountId,
      channel: "email" as const,
      metric: "Unsubscribed from Email Marketing",
      profileId: "KDEMO1:ada@example.com",
      datetime: new Date().toISOString(),
    };
    const topic = "event:klaviyo.unsubscribed_from_email_marketing";
    expect(await deliver({ ...webhook, secret: "not-the-secret-at-all" }, [{ topic, event }])).toBe(401);
    expect(await deliver({ ...webhook, id: "WHunknown" }, [{ topic, event }])).toBe(401);
    expect(await prisma.consentChange.count()).toBe(0);
  });

  it("keeps a delivery Klaviyo sends twice once", async () => {
    const shop = await oauthShop();
    await setConsentSync(shop.id, true);
    const [webhook] = klaviyo.state.webhooks;
    await unsubscribe(klaviyo.state, { channel: "email", email: "ada@example.com" });
    const [event] = klaviyo.state.consentEvents;
    expect(await deliver(webhook, [{ topic: "event:klaviyo.unsubscribed_from_email_marketing", event }])).toBe(200);
    expect(await prisma.consentChange.count()).toBe(1);
    await applyDueConsentChanges();
    expect(shopify.state.queries.filter((query) => query.operationName === "WaypostEmailUnsubscribe")).toHaveLength(1);
  });

  it("polls Klaviyo's unsubscribe events where webhooks are unavailable (a private key), and marks SMS consent", async () => {
    const shop = await seedShop({ connected: true });
    const sync = await setConsentSync(shop.id, true, new Date(Date.now() - 1000));
    expect(sync).toMatchObject({ enabled: true, mode: "poll", modeReason: POLL_BECAUSE_PRIVATE_KEY });
    expect(klaviyo.state.webhooks).toHaveLength(0);

    await unsubscribe(klaviyo.state, { channel: "sms", phone: "+447700900123" });
    expect(await pollConsentChanges()).toBe(1);
    expect(await pollConsentChanges()).toBe(0);
    expect(await applyDueConsentChanges()).toBe(1);
    expect(await prisma.consentChange.findFirstOrThrow()).toMatchObject({
      source: "poll",
      channel: "sms",
      phone: "+447700900123",
      status: "applied",
      result: "Unsubscribed from SMS marketing in Shopify",
    });
    expect(customer().defaultPhoneNumber.marketingState).toBe("UNSUBSCRIBED");
    expect(customer().defaultEmailAddress.marketingState).toBe("SUBSCRIBED");
    expect((await consentSyncFor(shop.id)).pollError).toBeNull();
  });

  it("records a customer Shopify does not have as unmatched, and changes no one", async () => {
    const shop = await oauthShop();
    await setConsentSync(shop.id, true);
    await unsubscribe(klaviyo.state, { channel: "email", email: "grace@example.com" });
    expect(await applyDueConsentChanges()).toBe(1);
    expect(await prisma.consentChange.findFirstOrThrow()).toMatchObject({
      status: "unmatched",
      shopifyCustomerId: null,
      result: "No Shopify customer has this email",
    });
    expect(customer().defaultEmailAddress.marketingState).toBe("SUBSCRIBED");
    expect(shopify.state.queries.map((query) => query.operationName)).toEqual(["WaypostCustomerByIdentifier"]);
  });

  it("deletes the Klaviyo webhook when turned off, and its deliveries are refused from then on", async () => {
    const shop = await oauthShop();
    await setConsentSync(shop.id, true);
    const [webhook] = klaviyo.state.webhooks;
    await setConsentSync(shop.id, false);
    expect(klaviyo.state.webhooks).toHaveLength(0);
    await unsubscribe(klaviyo.state, { channel: "email", email: "ada@example.com" });
    const [event] = klaviyo.state.consentEvents;
    expect(await deliver(webhook, [{ topic: "event:klaviyo.unsubscribed_from_email_marketing", event }])).toBe(401);
    expect(await prisma.consentChange.count()).toBe(0);
  });
});
