import { randomUUID } from "node:crypto";
import { isbot } from "isbot";
import { queryRowsByDriver, at, sql } from "../db/sql.server";
import { errorSummary, log } from "../log.server";
import { notifyWork } from "../work-signal.server";
import { readPixelBatch, PIXEL_BATCH_MAX_BYTES, type PixelBatch } from "./pixel-batch";
import { isAllowedPixelOrigin, pixelCorsHeaders } from "./pixel-cors";
import { WindowedLimit } from "./pixel-rate-limit";
import { newReceiptId } from "./receipt-id";
import { BodyTooLargeError, readBodyWithLimit } from "./request-body.server";
import { isShopDomain } from "./shop-domain";
import type { WebhookDelivery } from "./webhook-ingest.server";

/** The receipt topic of a storefront batch: stored beside webhooks, processed by the receipt worker. */
export const PIXEL_BATCH_TOPIC = "pixel/events";

/** Batches per minute: one browser sends a few a minute; a busy shop thousands. */
export const PIXEL_LIMITS = { perVisitorPerMinute: 60, perShopPerMinute: 6_000 };

export interface PixelIngestOptions {
  limits?: { perVisitor: WindowedLimit; perShop: WindowedLimit };
  now?: () => number;
}

const defaultLimits = {
  perVisitor: new WindowedLimit(PIXEL_LIMITS.perVisitorPerMinute),
  perShop: new WindowedLimit(PIXEL_LIMITS.perShopPerMinute),
};

/** A fresh pair of limits (tests give each case its own, a process keeps one). */
export const pixelLimits = (perVisitorPerMinute: number, perShopPerMinute: number) => ({
  perVisitor: new WindowedLimit(perVisitorPerMinute),
  perShop: new WindowedLimit(perShopPerMinute),
});

/** What the pixel is answered: a status, the CORS headers (and Retry-After), and a JSON body when refused. */
export interface PixelAnswer {
  status: number;
  headers: Record<string, string>;
  body?: Record<string, unknown>;
}

function answerTo(origin: string | null) {
  const cors = pixelCorsHeaders(origin);
  const answer = (
    status: number,
    body?: Record<string, unknown>,
    headers: Record<string, string> = {},
  ): PixelAnswer => ({
    status,
    headers: { ...cors, ...headers },
    ...(body ? { body } : {}),
  });
  const refuse = (status: number, error: string, detail: string, headers?: Record<string, string>) => {
    log.warn("pixel batch refused", { status, error, detail });
    return answer(status, { error, detail }, headers);
  };
  return { answer, refuse };
}

/**
 * A POSTed batch from a storefront's pixel, as read off the socket (the door in app/server/main.ts,
 * ahead of Remix) or from the Remix route: at most 16 KB, obvious bots dropped, checked against the
 * contract, limited per visitor and per shop, bound to an installed shop whose pixel key it carries,
 * and stored in one statement; the receipt worker does the rest. 204 accepted; 400 invalid; 403
 * unknown shop or wrong key; 413; 429 Retry-After; 503 not stored.
 */
export async function answerPixelBatch(
  delivery: WebhookDelivery,
  options: PixelIngestOptions = {},
): Promise<PixelAnswer> {
  const origin = delivery.header("origin");
  const { answer, refuse } = answerTo(origin);
  if (origin && !isAllowedPixelOrigin(origin))
    return refuse(403, "origin_not_allowed", "batches come from a storefront served over https");
  const mediaType = (delivery.header("content-type") ?? "").split(";")[0].trim().toLowerCase();
  if (mediaType !== "text/plain" && mediaType !== "application/json")
    return refuse(400, "invalid_content_type", "send the batch as text/plain or application/json");
  if (delivery.rawBody.byteLength > PIXEL_BATCH_MAX_BYTES)
    return refuse(413, "too_large", `a batch is at most ${PIXEL_BATCH_MAX_BYTES} bytes`);
  // A crawler rendering the storefront runs the pixel too: its page views are nobody's.
  if (isbot(delivery.header("user-agent"))) {
    log.info("pixel batch from a bot dropped");
    return answer(204);
  }
  const reading = readPixelBatch(delivery.rawBody.toString("utf8"));
  if (!reading.ok) return refuse(400, "invalid_batch", reading.detail);
  const { batch } = reading;
  if (!isShopDomain(batch.shop)) return refuse(400, "invalid_batch", "/shop must be a myshopify.com domain");

  const { perVisitor, perShop } = options.limits ?? defaultLimits;
  const now = options.now?.() ?? Date.now();
  if (!perVisitor.take(`${batch.shop} ${batch.clientId}`, now))
    return refuse(429, "rate_limited", "too many batches from this visitor", {
      "Retry-After": String(perVisitor.retryAfterSeconds(now)),
    });
  if (!perShop.fits(batch.shop, now))
    return refuse(429, "rate_limited", "too many batches for this shop", {
      "Retry-After": String(perShop.retryAfterSeconds(now)),
    });

  try {
    const stored = await storeBatch(batch, new Date(now));
    if (!stored) return refuse(403, "forbidden", "the shop has not installed Waypost, or the pixel key is not its own");
    perShop.take(batch.shop, now);
    notifyWork("receipt");
    return answer(204);
  } catch (error) {
    log.error("pixel batch could not be stored", { shop: batch.shop, error: errorSummary(error) });
    return answer(503, { error: "unavailable", detail: "the batch could not be stored; send it again" });
  }
}

/** POST /pixel/events and its CORS preflight as a Fetch Request (the Remix route): the body read up to the limit. */
export async function answerPixelRequest(request: Request, options: PixelIngestOptions = {}): Promise<Response> {
  const origin = request.headers.get("origin");
  const { answer, refuse } = answerTo(origin);
  const respond = ({ status, headers, body }: PixelAnswer) =>
    body ? Response.json(body, { status, headers }) : new Response(null, { status, headers });

  if (request.method === "OPTIONS") return respond(answer(origin && isAllowedPixelOrigin(origin) ? 204 : 403));
  if (request.method !== "POST") return respond(refuse(405, "method_not_allowed", "pixel batches are POSTed"));
  let rawBody: Buffer;
  try {
    rawBody = await readBodyWithLimit(request, PIXEL_BATCH_MAX_BYTES);
  } catch (error) {
    if (error instanceof BodyTooLargeError)
      return respond(refuse(413, "too_large", `a batch is at most ${PIXEL_BATCH_MAX_BYTES} bytes`));
    return respond(refuse(400, "unreadable", "the body could not be read"));
  }
  return respond(await answerPixelBatch({ header: (name) => request.headers.get(name), rawBody }, options));
}

/**
 * The batch as a receipt of the shop that is installed under its domain and holds its pixel key,
 * or nothing (unknown shop, uninstalled, wrong key). The key is public (it is in the storefront's
 * page), so a plain comparison gives nothing away. The stored body leaves the key out.
 */
async function storeBatch(batch: PixelBatch, receivedAt: Date) {
  const { pixelKey, ...kept } = batch;
  const rows = await queryRowsByDriver<{ id: string }>(sql`
    INSERT INTO "WebhookReceipt" ("id", "webhookId", "shopDomain", "shopId", "topic", "receivedAt", "body", "status")
    SELECT ${newReceiptId()}, ${`pixel:${randomUUID()}`}, "shop"."domain", "shop"."id", ${PIXEL_BATCH_TOPIC},
      ${at(receivedAt)}, ${JSON.stringify(kept)}, 'pending'
    FROM "Shop" AS "shop"
    WHERE "shop"."domain" = ${batch.shop} AND "shop"."uninstalledAt" IS NULL AND "shop"."pixelKey" = ${pixelKey}
    RETURNING "id"`);
  return rows[0];
}
