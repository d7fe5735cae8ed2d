import { randomUUID } from "node:crypto";
import { signWebhookBody } from "../../app/platform/webhook-signature";
import { TEST_API_SECRET, TEST_SHOP } from "./test-config";

export interface WebhookDelivery {
  topic: string;
  body: unknown;
  shop?: string;
  webhookId?: string;
  secret?: string;
  triggeredAt?: Date;
}

/** The headers Shopify sends with a webhook, signed as Shopify signs them. */
export function signedWebhookHeaders(rawBody: string, delivery: Omit<WebhookDelivery, "body">) {
  return {
    "Content-Type": "application/json",
    "X-Shopify-Topic": delivery.topic,
    "X-Shopify-Shop-Domain": delivery.shop ?? TEST_SHOP,
    "X-Shopify-Webhook-Id": delivery.webhookId ?? randomUUID(),
    "X-Shopify-Event-Id": randomUUID(),
    "X-Shopify-Triggered-At": (delivery.triggeredAt ?? new Date()).toISOString(),
    "X-Shopify-API-Version": "2026-07",
    "X-Shopify-Hmac-Sha256": signWebhookBody(rawBody, delivery.secret ?? TEST_API_SECRET),
    "User-Agent": "Shopify-Captain-Hook",
  };
}

export function signedWebhookRequest(url: string, delivery: WebhookDelivery): Request {
  const rawBody = typeof delivery.body === "string" ? delivery.body : JSON.stringify(delivery.body);
  return new Request(url, { method: "POST", body: rawBody, headers: signedWebhookHeaders(rawBody, delivery) });
}
