import { beforeEach, describe, expect, it } from "vitest";
import { prisma } from "../db.server";
import { signedWebhookHeaders, signedWebhookRequest } from "../../e2e/support/webhook-signer";
import { shopifyFixtureFor, shopifyFixtureText } from "../../e2e/support/shopify-payloads";
import { resetDatabase } from "../../e2e/support/integration";
import { OTHER_SHOP, TEST_SHOP } from "../../e2e/support/test-config";
import { action, loader } from "./webhooks";

const URL = "https://waypost.test/webhooks";
const post = (request: Request) => action({ request, params: {}, context: {} });

async function send(delivery: Parameters<typeof signedWebhookRequest>[1]) {
  const response = await post(signedWebhookRequest(URL, delivery));
  return {
    status: response.status,
    body: (await response.json()) as { ok?: boolean; outcome?: string; error?: string },
  };
}

beforeEach(async () => {
  await resetDatabase();
  await prisma.shop.create({ data: { domain: TEST_SHOP, name: "Test Shop" } });
});

describe("POST /webhooks", () => {
  it("stores a signed webhook durably, raw body and headers included, and answers 200", async () => {
    // An order id that a plain JSON.parse would round to ...500.
    const rawBody = shopifyFixtureText("fulfillments_update.derived_in_transit").replace(
      '"order_id": 820982911946154500',
      '"order_id": 820982911946154511',
    );
    expect(rawBody).toContain("820982911946154511");
    const result = await send({ topic: "fulfillments/update", body: rawBody, webhookId: "wh-1" });

    expect(result).toMatchObject({ status: 200, body: { outcome: "stored" } });
    const receipt = await prisma.webhookReceipt.findUniqueOrThrow({
      where: { webhookId: "wh-1" },
      include: { shop: true },
    });
    expect(receipt).toMatchObject({
      topic: "fulfillments/update",
      shopDomain: TEST_SHOP,
      status: "pending",
      apiVersion: "2026-07",
      body: rawBody,
      orderId: "820982911946154511",
    });
    expect(receipt.shop?.domain).toBe(TEST_SHOP);
    expect(receipt.eventId).toBeTruthy();
    expect(receipt.triggeredAt).toBeInstanceOf(Date);
  });

  it("stores a duplicate delivery once and still answers 200", async () => {
    const delivery = { topic: "orders/create", body: shopifyFixtureText("orders_create"), webhookId: "wh-dup" };
    const first = await send(delivery);
    const second = await send(delivery);
    const third = await send(delivery);

    expect([first.status, second.status, third.status]).toEqual([200, 200, 200]);
    expect([second.body.outcome, third.body.outcome]).toEqual(["duplicate", "duplicate"]);
    expect(await prisma.webhookReceipt.count({ where: { webhookId: "wh-dup" } })).toBe(1);
  });

  it("answers 401 to a bad or missing HMAC and stores nothing", async () => {
    const forged = await send({ topic: "orders/create", body: { id: 1 }, secret: "not-the-app-secret" });
    const rawBody = JSON.stringify({ id: 1 });
    const headers: Record<string, string> = signedWebhookHeaders(rawBody, { topic: "orders/create" });
    delete headers["X-Shopify-Hmac-Sha256"];
    const unsigned = await post(new Request(URL, { method: "POST", body: rawBody, headers }));

    expect(forged.status).toBe(401);
    expect(unsigned.status).toBe(401);
    expect(await prisma.webhookReceipt.count()).toBe(0);
  });

  it("answers 401 when a signed body is replayed with different content", async () => {
    const headers = signedWebhookHeaders('{"id":1}', { topic: "orders/create" });
    const response = await post(new Request(URL, { method: "POST", body: '{"id":2}', headers }));
    expect(response.status).toBe(401);
  });

  it("answers 400 to a correctly signed body that is not JSON, and stores nothing", async () => {
    const result = await send({ topic: "orders/create", body: '{"id": 1, "email": ' });
    expect(result.status).toBe(400);
    expect(result.body.error).toMatch(/not valid JSON/);
    expect(await prisma.webhookReceipt.count()).toBe(0);
  });

  it("answers 400 when a signed webhook lacks its id, topic or a valid shop domain", async () => {
    const rawBody = '{"id":1}';
    const cases: Array<[string, string | null]> = [
      ["X-Shopify-Webhook-Id", null],
      ["X-Shopify-Topic", null],
      ["X-Shopify-Shop-Domain", "evil.example.com"],
    ];
    for (const [header, value] of cases) {
      const headers: Record<string, string> = signedWebhookHeaders(rawBody, { topic: "orders/create" });
      if (value === null) delete headers[header];
      else headers[header] = value;
      const response = await post(new Request(URL, { method: "POST", body: rawBody, headers }));
      expect(response.status, header).toBe(400);
    }
    expect(await prisma.webhookReceipt.count()).toBe(0);
  });

  it("answers 413 to a body over 1 MB, declared or streamed, and stores nothing", async () => {
    const huge = JSON.stringify({ note: "x".repeat(1024 * 1024 + 1) });
    const declared = await send({ topic: "orders/create", body: huge });

    const headers: Record<string, string> = signedWebhookHeaders(huge, { topic: "orders/create" });
    const chunks = [huge.slice(0, 600_000), huge.slice(600_000)];
    const stream = new ReadableStream({
      pull(controller) {
        const next = chunks.shift();
        if (next) controller.enqueue(new TextEncoder().encode(next));
        else controller.close();
      },
    });
    const streamed = await post(
      new Request(URL, { method: "POST", body: stream, headers, duplex: "half" } as RequestInit),
    );

    expect(declared.status).toBe(413);
    expect(streamed.status).toBe(413);
    expect(await prisma.webhookReceipt.count()).toBe(0);
  });

  it("answers 200 for a shop that has not installed Waypost, keeping the receipt marked ignored", async () => {
    const result = await send({ topic: "orders/create", body: { id: 5 }, shop: OTHER_SHOP, webhookId: "wh-unknown" });
    expect(result).toMatchObject({ status: 200, body: { outcome: "ignored" } });
    const receipt = await prisma.webhookReceipt.findUniqueOrThrow({ where: { webhookId: "wh-unknown" } });
    expect(receipt).toMatchObject({ status: "ignored", ignoredReason: "shop has not installed Waypost", shopId: null });
  });

  it("ignores a topic Waypost does not subscribe to, with a 200 so Shopify stops retrying", async () => {
    const result = await send({ topic: "products/update", body: { id: 5 }, webhookId: "wh-topic" });
    expect(result).toMatchObject({ status: 200, body: { outcome: "ignored" } });
    expect((await prisma.webhookReceipt.findUniqueOrThrow({ where: { webhookId: "wh-topic" } })).status).toBe(
      "ignored",
    );
  });

  it("accepts compliance webhooks for a shop that already uninstalled", async () => {
    await prisma.shop.update({ where: { domain: TEST_SHOP }, data: { uninstalledAt: new Date() } });
    const result = await send({
      topic: "shop/redact",
      body: shopifyFixtureFor("shop_redact", TEST_SHOP),
      webhookId: "wh-redact",
    });
    expect(result).toMatchObject({ status: 200, body: { outcome: "stored" } });
    expect((await prisma.webhookReceipt.findUniqueOrThrow({ where: { webhookId: "wh-redact" } })).status).toBe(
      "pending",
    );
  });

  it("answers 405 to anything but POST", async () => {
    const response = loader();
    expect(response.status).toBe(405);
    expect(response.headers.get("Allow")).toBe("POST");
  });
});
