import { env } from "../env.server";
import { receiveWebhook } from "../platform/webhook-ingest.server";
import { signWebhookBody } from "../platform/webhook-signature";
import { orderStory } from "../platform/sample-order";
import { DEMO_CUSTOMER } from "./doubles/shopify-admin/order-history";

/**
 * The demo's "Send a test order": one order's whole life (placed, paid, shipped, in transit,
 * out for delivery, delivered) as signed webhooks through the same endpoint Shopify uses. It
 * happens now, a minute a step, so its events count as today's on the Dashboard.
 */
export async function sendDemoTestOrder(shopDomain: string, now = Date.now()) {
  const orderId = 100_000 + (Math.floor(now / 1000) % 900_000);
  const webhooks = orderStory({
    orderId,
    email: DEMO_CUSTOMER.email,
    customerId: DEMO_CUSTOMER.legacyId,
    endsAt: new Date(now),
  });
  for (const [index, webhook] of webhooks.entries()) {
    const body = JSON.stringify(webhook.body);
    await receiveWebhook(
      new Request(`${env.appUrl}/webhooks`, {
        method: "POST",
        body,
        headers: {
          "Content-Type": "application/json",
          "X-Shopify-Topic": webhook.topic,
          "X-Shopify-Shop-Domain": shopDomain,
          "X-Shopify-Webhook-Id": `demo-${orderId}-${index}`,
          "X-Shopify-API-Version": "2026-07",
          "X-Shopify-Hmac-Sha256": signWebhookBody(body, env.shopifyApiSecret),
        },
      }),
    );
  }
  return { orderName: `#${orderId}`, webhooks: webhooks.length };
}
