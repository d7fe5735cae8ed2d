import { prisma } from "../db.server";
import { env } from "../env.server";
import { BodyTooLargeError, readBodyWithLimit } from "../platform/request-body.server";
import { errorSummary, log } from "../log.server";
import type { WebhookDelivery } from "../platform/webhook-ingest.server";
import { parseWebhookJson } from "../platform/webhook-json";
import { openWebhookSecret, recordUnsubscribes } from "./consent-changes.server";
import { isAuthenticKlaviyoWebhook, parseConsentDelivery } from "./consent-webhooks";

export type KlaviyoWebhookOutcome =
  | { kind: "stored"; httpStatus: 200; stored: number; duplicates: number }
  | { kind: "ignored"; httpStatus: 200; reason: string }
  | { kind: "rejected"; httpStatus: 400 | 401; reason: string };

/**
 * A Klaviyo system webhook, made durable and nothing more: the webhook it names (Klaviyo-Webhook-Id)
 * says which shop it is for and which secret signed it; the signature is checked timing-safe
 * before the body is read; its unsubscribes are stored in one statement, once per Klaviyo event.
 * The Shopify side is done later by the consent worker, so Klaviyo is answered in milliseconds.
 */
export async function acceptKlaviyoWebhook(delivery: WebhookDelivery): Promise<KlaviyoWebhookOutcome> {
  const webhookId = delivery.header("klaviyo-webhook-id");
  if (!webhookId) return reject(400, "missing Klaviyo-Webhook-Id header", null);
  const sync = await prisma.consentSync.findUnique({ where: { klaviyoWebhookId: webhookId } });
  if (!sync?.sealedWebhookSecret) return reject(401, "no such webhook is registered", webhookId);
  const secret = openWebhookSecret(sync.shopId, sync.sealedWebhookSecret);
  const signed = isAuthenticKlaviyoWebhook(
    delivery.rawBody,
    delivery.header("klaviyo-timestamp"),
    delivery.header("klaviyo-signature"),
    secret,
  );
  if (!signed) return reject(401, "Klaviyo-Signature missing or invalid", webhookId);
  let body: unknown;
  try {
    body = parseWebhookJson(delivery.rawBody.toString("utf8"));
  } catch {
    return reject(400, "body is not valid JSON", webhookId);
  }
  const parsed = parseConsentDelivery(body, webhookId);
  if (!parsed.ok) return reject(400, parsed.reason, webhookId);
  if (!sync.enabled) return { kind: "ignored", httpStatus: 200, reason: "consent sync is off for this shop" };
  const stored = await recordUnsubscribes(sync.shopId, "webhook", parsed.unsubscribes);
  log.info("klaviyo webhook stored", { webhookId, stored, duplicates: parsed.unsubscribes.length - stored });
  return { kind: "stored", httpStatus: 200, stored, duplicates: parsed.unsubscribes.length - stored };
}

/** What Klaviyo is answered, the same through the door and the Remix route; a failed store is a 500, so Klaviyo retries. */
export async function answerKlaviyoWebhook(delivery: WebhookDelivery) {
  try {
    const outcome = await acceptKlaviyoWebhook(delivery);
    if (outcome.kind === "rejected") return { status: outcome.httpStatus, body: { error: outcome.reason } };
    return { status: 200, body: { ok: true, outcome: outcome.kind } };
  } catch (error) {
    log.error("klaviyo webhook could not be stored", { error: errorSummary(error) });
    return { status: 500, body: { error: "the webhook could not be stored; Klaviyo will send it again" } };
  }
}

function reject(httpStatus: 400 | 401, reason: string, webhookId: string | null): KlaviyoWebhookOutcome {
  log.warn("klaviyo webhook rejected", { webhookId, status: httpStatus, reason });
  return { kind: "rejected", httpStatus, reason };
}

/** The same door as a Fetch Request (the Remix route): POST only, the body read up to WEBHOOK_MAX_BYTES. */
export async function receiveKlaviyoWebhook(request: Request, maxBytes = env.webhookMaxBytes) {
  if (request.method !== "POST") return { status: 405, body: { error: "webhooks must be POSTed" } };
  let rawBody: Buffer;
  try {
    rawBody = await readBodyWithLimit(request, maxBytes);
  } catch (error) {
    if (error instanceof BodyTooLargeError)
      return { status: 413, body: { error: `body larger than ${maxBytes} bytes` } };
    return { status: 400, body: { error: "body could not be read" } };
  }
  return answerKlaviyoWebhook({ header: (name) => request.headers.get(name), rawBody });
}
