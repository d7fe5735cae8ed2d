import { prisma } from "../db.server";
import { at, queryRowsByDriver, raw, sql } from "../db/sql.server";
import { env } from "../env.server";
import { errorSummary, log } from "../log.server";
import { notifyWork } from "../work-signal.server";
import { newReceiptId } from "./receipt-id";
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

/** What Shopify is answered: a JSON body and its status, the same through every door. */
export function webhookAnswer(outcome: WebhookOutcome): { status: number; body: Record<string, unknown> } {
  if (outcome.kind === "rejected") return { status: outcome.httpStatus, body: { error: outcome.reason } };
  return { status: outcome.httpStatus, body: { ok: true, outcome: outcome.kind } };
}

/**
 * The web server's door (app/server/webhook-door.server.ts): accept, and the answer. A webhook
 * that could not be stored is answered 500, so Shopify sends it again.
 */
export async function answerWebhook(delivery: WebhookDelivery) {
  try {
    return webhookAnswer(await acceptWebhook(delivery));
  } catch (error) {
    log.error("webhook could not be stored", { ...contextOf(delivery.header), error: errorSummary(error) });
    return { status: 500, body: { error: "the webhook could not be stored; Shopify will send it again" } };
  }
}

interface ReceiveOptions {
  secret?: string;
  maxBytes?: number;
}

/** One delivery as it arrived: a header by its full name (null when absent), and the raw body. */
export interface WebhookDelivery {
  header(name: string): string | null;
  rawBody: Buffer;
}

/** A webhook as a Fetch Request (the Remix route): its body is read up to the limit, then accepted. */
export async function receiveWebhook(request: Request, options: ReceiveOptions = {}): Promise<WebhookOutcome> {
  const maxBytes = options.maxBytes ?? env.webhookMaxBytes;
  const header = (name: string) => request.headers.get(name);
  if (request.method !== "POST") return reject(405, "webhooks must be POSTed", contextOf(header));
  let rawBody: Buffer;
  try {
    rawBody = await readBodyWithLimit(request, maxBytes);
  } catch (error) {
    if (error instanceof BodyTooLargeError) return reject(413, `body larger than ${maxBytes} bytes`, contextOf(header));
    return reject(400, "body could not be read", contextOf(header));
  }
  return acceptWebhook({ header, rawBody }, options);
}

const shopifyHeader = (delivery: Pick<WebhookDelivery, "header">, name: string) =>
  delivery.header(`x-shopify-${name}`) ?? delivery.header(`shopify-${name}`);

const contextOf = (header: WebhookDelivery["header"]) => ({
  shop: shopifyHeader({ header }, "shop-domain"),
  topic: shopifyHeader({ header }, "topic"),
  webhookId: shopifyHeader({ header }, "webhook-id"),
});

/**
 * Makes one webhook delivery durable and nothing more: verify, bind to its shop, store, answer,
 * in one statement. All real work happens later in the worker, so Shopify gets its 200 in
 * milliseconds whatever the workers are doing.
 */
export async function acceptWebhook(delivery: WebhookDelivery, options: ReceiveOptions = {}): Promise<WebhookOutcome> {
  const secret = options.secret ?? env.shopifyApiSecret;
  const header = (name: string) => shopifyHeader(delivery, name);
  const context = contextOf(delivery.header);
  const { rawBody } = delivery;

  if (!isAuthenticWebhook(rawBody, header("hmac-sha256"), secret)) {
    return reject(401, "HMAC signature missing or invalid", context);
  }
  const { shop, topic: rawTopic, webhookId } = context;
  if (!webhookId) return reject(400, "missing X-Shopify-Webhook-Id header", context);
  if (!rawTopic) return reject(400, "missing X-Shopify-Topic header", context);
  if (!isShopDomain(shop)) return reject(400, "missing or invalid X-Shopify-Shop-Domain header", context);

  const body = rawBody.toString("utf8");
  let payload: unknown;
  try {
    payload = parseWebhookJson(body);
  } catch {
    return reject(400, "body is not valid JSON", context);
  }

  const topic = normalizeTopic(rawTopic);
  const mismatch = shopMismatch(topic, payload, shop);
  if (mismatch) return reject(401, mismatch, context);
  const orderId = orderIdOf(topic, payload);
  const stored = await storeReceipt({
    webhookId,
    shopDomain: shop,
    topic,
    apiVersion: header("api-version"),
    eventId: header("event-id"),
    orderId,
    triggeredAt: parseDate(header("triggered-at")),
    body,
    refuseOrderOfAnotherShop: Boolean(orderId) && isOrderTopic(topic),
    ignoredReason: {
      installed: isKnownTopic(topic) ? null : UNKNOWN_TOPIC,
      notInstalled: !isKnownTopic(topic) ? UNKNOWN_TOPIC : isComplianceTopic(topic) ? null : NOT_INSTALLED,
    },
  });
  if (stored) {
    if (stored.ignoredReason) {
      log.info("webhook ignored", { ...context, reason: stored.ignoredReason, receiptId: stored.id });
      return { kind: "ignored", httpStatus: 200, receiptId: stored.id, reason: stored.ignoredReason };
    }
    log.info("webhook stored", { ...context, receiptId: stored.id });
    notifyWork("receipt");
    return { kind: "stored", httpStatus: 200, receiptId: stored.id };
  }
  // Nothing inserted: the webhook id was seen before, or the order is another shop's.
  const existing = await prisma.webhookReceipt.findUnique({ where: { webhookId }, select: { id: true } });
  if (!existing) return reject(401, "the body's order belongs to another shop", context);
  log.info("webhook duplicate", { ...context, receiptId: existing.id });
  return { kind: "duplicate", httpStatus: 200, receiptId: existing.id };
}

const UNKNOWN_TOPIC = "topic is not one Waypost subscribes to";
const NOT_INSTALLED = "shop has not installed Waypost";

interface NewReceipt {
  webhookId: string;
  shopDomain: string;
  topic: string;
  apiVersion: string | null;
  eventId: string | null;
  orderId: string | undefined;
  triggeredAt: Date | undefined;
  body: string;
  /** Shopify's order ids are unique across shops: one already received for another shop means a replayed body. */
  refuseOrderOfAnotherShop: boolean;
  /** Why it is kept as ignored, whether or not the shop has Waypost installed (null: it is pending). */
  ignoredReason: { installed: string | null; notInstalled: string | null };
}

/**
 * The one statement of a webhook's way in: the receipt, bound to the shop installed under its
 * domain, unless its id is already stored or its order is another shop's (then nothing, and
 * undefined comes back).
 */
async function storeReceipt(receipt: NewReceipt) {
  const { installed, notInstalled } = receipt.ignoredReason;
  const notAnotherShopsOrder = receipt.refuseOrderOfAnotherShop
    ? sql`NOT EXISTS (
        SELECT 1 FROM "WebhookReceipt" AS "other"
        WHERE "other"."orderId" = ${receipt.orderId} AND "other"."shopId" IS NOT NULL
          AND "other"."shopId" <> "installed"."id" AND "other"."status" <> 'ignored')`
    : raw("1 = 1");
  const rows = await queryRowsByDriver<{ id: string; ignoredReason: string | null }>(sql`
    INSERT INTO "WebhookReceipt" ("id", "webhookId", "shopDomain", "shopId", "topic", "apiVersion", "eventId",
      "orderId", "triggeredAt", "receivedAt", "body", "status", "ignoredReason")
    SELECT ${newReceiptId()}, ${receipt.webhookId}, ${receipt.shopDomain}, "installed"."id", ${receipt.topic},
      ${receipt.apiVersion}, ${receipt.eventId}, ${receipt.orderId ?? null},
      ${receipt.triggeredAt ? at(receipt.triggeredAt) : raw("NULL")}, ${at(new Date())}, ${receipt.body},
      CASE WHEN "installed"."id" IS NULL THEN ${notInstalled ? "ignored" : "pending"}
        ELSE ${installed ? "ignored" : "pending"} END,
      CASE WHEN "installed"."id" IS NULL THEN ${notInstalled} ELSE ${installed} END
    FROM (SELECT 1 AS "one") AS "delivery"
    LEFT JOIN "Shop" AS "installed" ON "installed"."domain" = ${receipt.shopDomain} AND "installed"."uninstalledAt" IS NULL
    WHERE ${notAnotherShopsOrder}
    ON CONFLICT ("webhookId") DO NOTHING
    RETURNING "id", "ignoredReason"`);
  return rows[0];
}

function reject(
  httpStatus: 400 | 401 | 405 | 413,
  reason: string,
  context: Record<string, string | null>,
): WebhookOutcome {
  // Headers are the sender's words: the shop is named only if it is one, the rest the logger caps.
  const shop = context.shop === null || isShopDomain(context.shop) ? context.shop : "(not a shop domain)";
  log.warn("webhook rejected", { ...context, shop, status: httpStatus, reason });
  return { kind: "rejected", httpStatus, reason };
}

function parseDate(value: string | null): Date | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
