import { prisma } from "../db.server";
import { isUniqueViolation } from "../db/errors";
import { env } from "../env.server";
import { log } from "../log.server";
import { notifyWork } from "../work-signal.server";
import { BodyTooLargeError, readBodyWithLimit } from "./request-body.server";
import { isShopDomain } from "./shop-domain";
import { isOrderTopic, shopMismatch } from "./webhook-binding";
import { parseWebhookJson } from "./webhook-json";
import { isAuthenticWebhook } from "./webhook-signature";
import { isComplianceTopic, isKnownTopic, normalizeTopic, orderIdOf } from "./webhook-topics";

export type WebhookOutcome =
  | { kind: "stored"; httpStatus: 200; receiptId: string }
  | { kind: "duplicate"; httpStatus: 200; receiptId: string }
  | { kind: "ignored"; httpStatus: 200; receiptId: string; reason: string }
  | { kind: "rejected"; httpStatus: 400 | 401 | 405 | 413; reason: string };

interface ReceiveOptions {
  secret?: string;
  maxBytes?: number;
}

/**
 * Makes one webhook delivery durable and nothing more: verify, dedupe, store, answer.
 * All real work happens later in the worker, so Shopify gets its 200 in milliseconds.
 */
export async function receiveWebhook(request: Request, options: ReceiveOptions = {}): Promise<WebhookOutcome> {
  const secret = options.secret ?? env.shopifyApiSecret;
  const maxBytes = options.maxBytes ?? env.webhookMaxBytes;
  const header = (name: string) => request.headers.get(`x-shopify-${name}`) ?? request.headers.get(`shopify-${name}`);
  const context = { shop: header("shop-domain"), topic: header("topic"), webhookId: header("webhook-id") };

  if (request.method !== "POST") return reject(405, "webhooks must be POSTed", context);

  let rawBody: Buffer;
  try {
    rawBody = await readBodyWithLimit(request, maxBytes);
  } catch (error) {
    if (error instanceof BodyTooLargeError) return reject(413, `body larger than ${maxBytes} bytes`, context);
    return reject(400, "body could not be read", context);
  }

  if (!isAuthenticWebhook(rawBody, header("hmac-sha256"), secret)) {
    return reject(401, "HMAC signature missing or invalid", context);
  }
  const { shop, topic: rawTopic, webhookId } = context;
  if (!webhookId) return reject(400, "missing X-Shopify-Webhook-Id header", context);
  if (!rawTopic) return reject(400, "missing X-Shopify-Topic header", context);
  if (!isShopDomain(shop)) return reject(400, "missing or invalid X-Shopify-Shop-Domain header", context);

  let payload: unknown;
  try {
    payload = parseWebhookJson(rawBody.toString("utf8"));
  } catch {
    return reject(400, "body is not valid JSON", context);
  }

  const topic = normalizeTopic(rawTopic);
  const mismatch = shopMismatch(topic, payload, shop);
  if (mismatch) return reject(401, mismatch, context);
  const installedShop = await prisma.shop.findFirst({
    where: { domain: shop, uninstalledAt: null },
    select: { id: true },
  });
  const orderId = orderIdOf(topic, payload);
  if (installedShop && orderId && isOrderTopic(topic) && (await isOrderOfAnotherShop(orderId, installedShop.id)))
    return reject(401, "the body's order belongs to another shop", context);
  const ignoredReason = !isKnownTopic(topic)
    ? "topic is not one Waypost subscribes to"
    : !installedShop && !isComplianceTopic(topic)
      ? "shop has not installed Waypost"
      : undefined;

  const triggeredAt = parseDate(header("triggered-at"));
  try {
    const receipt = await prisma.webhookReceipt.create({
      data: {
        webhookId,
        shopDomain: shop,
        shopId: installedShop?.id,
        topic,
        apiVersion: header("api-version"),
        eventId: header("event-id"),
        orderId,
        triggeredAt,
        body: rawBody.toString("utf8"),
        status: ignoredReason ? "ignored" : "pending",
        ignoredReason,
      },
      select: { id: true },
    });
    if (ignoredReason) {
      log.info("webhook ignored", { ...context, reason: ignoredReason, receiptId: receipt.id });
      return { kind: "ignored", httpStatus: 200, receiptId: receipt.id, reason: ignoredReason };
    }
    log.info("webhook stored", { ...context, receiptId: receipt.id });
    notifyWork("receipt");
    return { kind: "stored", httpStatus: 200, receiptId: receipt.id };
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const existing = await prisma.webhookReceipt.findUniqueOrThrow({ where: { webhookId }, select: { id: true } });
    log.info("webhook duplicate", { ...context, receiptId: existing.id });
    return { kind: "duplicate", httpStatus: 200, receiptId: existing.id };
  }
}

function reject(
  httpStatus: 400 | 401 | 405 | 413,
  reason: string,
  context: Record<string, string | null>,
): WebhookOutcome {
  log.warn("webhook rejected", { ...context, status: httpStatus, reason });
  return { kind: "rejected", httpStatus, reason };
}

/** Shopify's order ids are unique across shops: one already received for another shop means a replayed body. */
async function isOrderOfAnotherShop(orderId: string, shopId: string) {
  const elsewhere = await prisma.webhookReceipt.findFirst({
    where: { orderId, AND: [{ shopId: { not: null } }, { shopId: { not: shopId } }], status: { not: "ignored" } },
    select: { id: true },
  });
  return elsewhere !== null;
}

function parseDate(value: string | null): Date | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
