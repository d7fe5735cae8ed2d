import type { WebhookReceipt } from "@prisma/client";
import { prisma } from "../db.server";
import { env } from "../env.server";
import { errorSummary, log } from "../log.server";
import { updateGrantedScopes } from "../platform/app-lifecycle.server";
import { answerDataRequest, redactShop, type CustomerRequest } from "../platform/compliance.server";
import { parseWebhookJson } from "../platform/webhook-json";
import { isComplianceTopic, isKnownTopic, type WebhookTopic } from "../platform/webhook-topics";
import { refreshShopFacts } from "../shops/shop-facts.server";
import { shopIdentity } from "../shops/shops.server";
import {
  observeCarrierScan,
  observeFulfillment,
  observeHold,
  observeOrder,
  type Observer,
} from "../tracking/observe.server";
import { eraseCustomer, uninstall } from "./offboarding.server";
import { LIVE, recordFound } from "./event-outbox.server";
import { startPollingWorker } from "./polling-worker.server";

/** What became of a receipt whose handler did nothing on purpose: it is kept as ignored, with the reason. */
type HandlerResult = void | { ignored: string };
/** A webhook body as parsed: any JSON at all (the handlers read what they need, defensively). */
type Payload = { [field: string]: unknown } | null;
type ReceiptHandler = (receipt: WebhookReceipt, payload: Payload) => Promise<HandlerResult>;

/** Who a privacy webhook is about (customers/data_request, customers/redact). */
function customerRequest(receipt: WebhookReceipt, payload: Payload): CustomerRequest {
  const customer = (payload?.customer ?? {}) as { id?: string; email?: string | null; phone?: string | null };
  const orderIds = (payload?.orders_to_redact ?? payload?.orders_requested ?? []) as unknown[];
  return {
    shopDomain: receipt.shopDomain,
    customer: { id: customer.id, email: customer.email, phone: customer.phone },
    orderIds: orderIds.map(String),
  };
}

/** A tracking webhook: the tracking stage observes it, and what it shows is recorded once. */
const track =
  (observe: Observer): ReceiptHandler =>
  async (receipt, payload) => {
    const shop = receipt.shopId ? await shopIdentity(receipt.shopId) : undefined;
    if (!shop) return;
    const observed = await observe(shop, { payload, happenedAt: receipt.triggeredAt ?? receipt.receivedAt });
    if ("nothing" in observed) return log.warn(observed.nothing, { receiptId: receipt.id, ...observed.fields });
    const { order, shipment, status } = observed;
    await recordFound(
      shop,
      observed.detections.map((detection) => ({ detection, order, shipment, status })),
      LIVE,
    );
  };

/** A subscribed topic that needs nothing done yet, and why: its receipt is kept as ignored, not as processed. */
const ignore =
  (why: string): ReceiptHandler =>
  async () => ({ ignored: why });

/**
 * Every subscribed topic and what handles it: the compiler refuses a topic of webhook-topics.ts
 * (which shopify.app.toml must match, see webhook-subscriptions.test.ts) without an entry here.
 */
export const TOPIC_HANDLERS = {
  "orders/create": track(observeOrder),
  "orders/updated": track(observeOrder),
  "orders/paid": track(observeOrder),
  "orders/cancelled": track(observeOrder),
  "orders/fulfilled": track(observeOrder),
  "orders/partially_fulfilled": track(observeOrder),
  "fulfillments/create": track(observeFulfillment),
  "fulfillments/update": track(observeFulfillment),
  "fulfillment_events/create": track(observeCarrierScan),
  "fulfillment_orders/placed_on_hold": track(observeHold),
  "fulfillment_orders/hold_released": ignore(
    "no event is sent when a hold is released yet; the order's next fulfillment or scan moves it on",
  ),
  "fulfillment_orders/cancelled": ignore(
    "no event is sent for a cancelled fulfillment order yet; a cancelled order arrives as orders/cancelled",
  ),
  "app/uninstalled": (receipt) => uninstall(receipt.shopDomain),
  "app/scopes_update": (receipt, payload) =>
    updateGrantedScopes(receipt.shopDomain, (payload?.current as string[] | undefined) ?? []),
  // The payload is the REST Shop; the facts are read again through the one GraphQL reader.
  "shop/update": async (receipt) => {
    const read = await refreshShopFacts(receipt.shopDomain);
    if (read.ok) return;
    if (read.noAccess) return { ignored: `the store's details could not be read: ${read.reason}` };
    throw new Error(`the store's details could not be read: ${read.reason}`);
  },
  "customers/data_request": async (receipt, payload) =>
    void (await answerDataRequest(customerRequest(receipt, payload))),
  "customers/redact": async (receipt, payload) => void (await eraseCustomer(customerRequest(receipt, payload))),
  "shop/redact": async (receipt) => void (await redactShop(receipt.shopDomain)),
} satisfies Record<WebhookTopic, ReceiptHandler>;

const handlerFor = (topic: string): ReceiptHandler | undefined =>
  isKnownTopic(topic) ? TOPIC_HANDLERS[topic] : undefined;

export const MAX_RECEIPT_ATTEMPTS = 5;
const RECEIPT_BATCH = 50;

/** Claims and finishes pending receipts; returns how many it finished. Safe to run in many processes. */
export async function processPendingReceipts({ limit = 50, now = new Date() } = {}): Promise<number> {
  // A worker killed mid-receipt leaves a claim behind; it is given back once its lease is over.
  await prisma.webhookReceipt.updateMany({
    where: { status: "processing", claimedAt: { lt: new Date(now.getTime() - env.workerLeaseMs) } },
    data: { status: "pending", claimedAt: null },
  });
  const candidates = await prisma.webhookReceipt.findMany({
    where: { status: "pending", topic: { in: Object.keys(TOPIC_HANDLERS) } },
    orderBy: { receivedAt: "asc" },
    take: limit,
  });
  let finished = 0;
  for (const receipt of candidates) {
    const claimed = await prisma.webhookReceipt.updateMany({
      where: { id: receipt.id, status: "pending" },
      data: { status: "processing", claimedAt: now, attempts: { increment: 1 } },
    });
    if (claimed.count === 0) continue;
    if (await finishReceipt(receipt)) finished++;
    // SQLite calls finish without ever reaching the event loop's I/O phase; let waiting
    // webhook requests in between receipts, so accepting a webhook never waits on a batch.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return finished;
}

async function finishReceipt(receipt: WebhookReceipt): Promise<boolean> {
  try {
    const result = await handlerFor(receipt.topic)!(receipt, parseWebhookJson(receipt.body) as Payload);
    await prisma.webhookReceipt.updateMany({
      where: { id: receipt.id },
      data: {
        ...(result ? { status: "ignored", ignoredReason: result.ignored } : { status: "processed" }),
        processedAt: new Date(),
        claimedAt: null,
        lastError: null,
        // A privacy request names the customer; once answered, keep only the fact that it came.
        ...(isComplianceTopic(receipt.topic) ? { body: "{}" } : {}),
      },
    });
    return true;
  } catch (error) {
    const giveUp = receipt.attempts + 1 >= MAX_RECEIPT_ATTEMPTS;
    const message = errorSummary(error);
    await prisma.webhookReceipt.updateMany({
      where: { id: receipt.id },
      data: { status: giveUp ? "failed" : "pending", claimedAt: null, lastError: message.slice(0, 2000) },
    });
    log.error("webhook processing failed", { receiptId: receipt.id, topic: receipt.topic, error: message, giveUp });
    return false;
  }
}

/** Runs the receipt worker in this process: on every new receipt, and every `pollMs` regardless. */
export function startReceiptWorker({ pollMs = 2000 } = {}) {
  return startPollingWorker(
    "receipt",
    async () => {
      // A full batch means more may be waiting: go again at once rather than at the next poll.
      const finished = await processPendingReceipts({ limit: RECEIPT_BATCH });
      return { runAgainInMs: finished >= RECEIPT_BATCH ? 0 : undefined };
    },
    pollMs,
  );
}
