import { APP_PORT } from "./playwright.config";
import { expect, test } from "./support/fixtures";
import { shopifyFixtureText } from "./support/shopify-payloads";
import { signedWebhookHeaders } from "./support/webhook-signer";

const APP = `http://localhost:${APP_PORT}`;

test("a signed webhook over HTTP is stored once, however often it is delivered, and shows in Activity", async ({
  page,
  request,
  embeddedAdmin,
}, testInfo) => {
  const body = shopifyFixtureText("orders_paid.derived_paid_open").replace(
    '"id": 820982911946154500',
    '"id": 4400000000001',
  );
  const headers = signedWebhookHeaders(body, { topic: "orders/paid", webhookId: `e2e-${Date.now()}` });
  const statuses = [];
  for (let delivery = 0; delivery < 3; delivery++) {
    statuses.push((await request.post(`${APP}/webhooks`, { headers, data: Buffer.from(body) })).status());
  }
  expect(statuses).toEqual([200, 200, 200]);

  await embeddedAdmin.open("/app/activity");
  const rows = page.getByRole("row").filter({ hasText: "4400000000001" });
  await expect(rows).toHaveCount(1);
  await expect(rows).toContainText("orders/paid");
  await page.screenshot({ path: testInfo.outputPath("activity-with-webhook.png"), fullPage: true });
});

// Buffers go out byte for byte; Playwright would re-encode a string body sent as JSON.
test("bad input over HTTP gets the right status: forged 401, malformed 400, oversize 413, GET 405", async ({
  request,
}) => {
  const forged = signedWebhookHeaders('{"id":1}', { topic: "orders/create", secret: "wrong" });
  expect((await request.post(`${APP}/webhooks`, { headers: forged, data: Buffer.from('{"id":1}') })).status()).toBe(
    401,
  );

  const malformed = '{"id":';
  expect(
    (
      await request.post(`${APP}/webhooks`, {
        headers: signedWebhookHeaders(malformed, { topic: "orders/create" }),
        data: Buffer.from(malformed),
      })
    ).status(),
  ).toBe(400);

  const huge = JSON.stringify({ padding: "x".repeat(2 * 1024 * 1024) });
  expect(
    (
      await request.post(`${APP}/webhooks`, {
        headers: signedWebhookHeaders(huge, { topic: "orders/create" }),
        data: Buffer.from(huge),
      })
    ).status(),
  ).toBe(413);

  expect((await request.get(`${APP}/webhooks`)).status()).toBe(405);
});
