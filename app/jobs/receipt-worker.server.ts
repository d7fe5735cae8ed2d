import type { WebhookReceipt } from "@prisma/client";
import { flushErasedData, prisma } from "../db.server";
import { errorSummary, log } from "../log.server";
import { installationAtShopify, updateGrantedScopes } from "../platform/app-lifecycle.server";
import { answerDataRequest, redactShop, type CustomerRequest } from "../platform/compliance.server";
import { parseWebhookJson } from "../platform/webhook-json";
import { isComplianceTopic, isKnownTopic, type WebhookTopic } from "../platform/webhook-topics";
import { SHOP_IDENTITY, type ShopIdentity } from "../shops/shop-identity";
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
import {
  claimDueReceipts,
  markAttemptFailed,
  markIgnored,
  markProcessed,
  markWaiting,
  reclaimStaleReceipts,
} from "./receipt-queue.server";

/**
 * What a handler came to: nothing returned means its work is done (an app or privacy topic);
 * a tracking topic says what it recorded; otherwise the receipt is ignored with the reason, or
 * waits for something outside (Shopify) and is tried again later. A handler that throws fails.
 */
type HandlerResult = void | { processed: string } | { ignored: string } | { waiting: string; detail: string };
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

/** The shop a receipt is for, unless it uninstalled Waypost meanwhile (its receipts in the same batch). */
const installedShop = async (shopId: string): Promise<ShopIdentity | undefined> =>
  (await prisma.shop.findFirst({ where: { id: shopId, uninstalledAt: null }, select: SHOP_IDENTITY })) ?? undefined;

/** A tracking webhook: the tracking stage observes it, and what it shows is recorded once. */
const track =
  (observe: Observer): ReceiptHandler =>
  async (receipt, payload) => {
    const shop = receipt.shopId ? await installedShop(receipt.shopId) : undefined;
    if (!shop) return { ignored: "shop uninstalled Waypost" };
    const observed = await observe(shop, { payload, happenedAt: receipt.triggeredAt ?? receipt.receivedAt });
    if ("nothing" in observed) {
      log.warn(observed.nothing, { receiptId: receipt.id, ...observed.fields });
      return { ignored: observed.nothing };
    }
    const { order, shipment, status } = observed;
    const found = observed.detections.map((detection) => ({ detection, order, shipment, status }));
    const recorded = await recordFound(shop, found, LIVE);
    return { processed: recordedOutcome(found.length, recorded) };
  };

/** What a tracking receipt brought, as Activity shows it. */
function recordedOutcome(found: number, { recorded, queued }: { recorded: number; queued: number }): string {
  if (found === 0) return "no new event: the order's details were brought up to date";
  if (recorded === 0) return `no new event: ${found === 1 ? "its event was" : "its events were"} already recorded`;
  const skipped = recorded - queued;
  const parts = [queued ? `${queued} to send` : "", skipped ? `${skipped} skipped (see Events)` : ""].filter(Boolean);
  return `${recorded} event${recorded === 1 ? "" : "s"} recorded: ${parts.join(", ")}`;
}

/** A subscribed topic that needs nothing done yet, and why: its receipt is kept as ignored, not as processed. */
const ignore =
  (why: string): ReceiptHandler =>
  async () => ({ ignored: why });

const STILL_INSTALLED =
  "Shopify still accepts the shop's access token, so the app is installed: this did not come from Shopify";

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
  "app/uninstalled": async (receipt) => {
    if ((await installationAtShopify(receipt.shopDomain)) === "installed") return { ignored: STILL_INSTALLED };
    await uninstall(receipt.shopDomain);
  },
  "app/scopes_update": (receipt, payload) =>
    updateGrantedScopes(receipt.shopDomain, (payload?.current as string[] | undefined) ?? []),
  "customers/data_request": async (receipt, payload) =>
    void (await answerDataRequest(customerRequest(receipt, payload))),
  "customers/redact": async (receipt, payload) => void (await eraseCustomer(customerRequest(receipt, payload))),
  "shop/redact": async (receipt) => {
    // Shopify sends shop/redact 48 hours after an uninstall, never to a shop that has the app.
    if ((await installationAtShopify(receipt.shopDomain)) === "installed") return { ignored: STILL_INSTALLED };
    await redactShop(receipt.shopDomain);
  },
} satisfies Record<WebhookTopic, ReceiptHandler>;

const handlerFor = (topic: string): ReceiptHandler | undefined =>
  isKnownTopic(topic) ? TOPIC_HANDLERS[topic] : undefined;

const RECEIPT_BATCH = 50;
const HANDLED_TOPICS = Object.keys(TOPIC_HANDLERS);

/** Claims and finishes due receipts; returns how many it took. Safe to run in many processes. */
export async function processPendingReceipts({ limit = RECEIPT_BATCH, now = new Date() } = {}): Promise<number> {
  await reclaimStaleReceipts(now);
  const claimed = await claimDueReceipts(HANDLED_TOPICS, limit, now);
  for (const receipt of claimed) {
    await finishReceipt(receipt, now);
    // SQLite calls finish without ever reaching the event loop's I/O phase; let waiting
    // webhook requests in between receipts, so accepting a webhook never waits on a batch.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return claimed.length;
}

async function finishReceipt(receipt: WebhookReceipt, now: Date): Promise<void> {
  const context = { receiptId: receipt.id, topic: receipt.topic };
  let result: HandlerResult;
  try {
    result = await handlerFor(receipt.topic)!(receipt, parseWebhookJson(receipt.body) as Payload);
  } catch (error) {
    const message = errorSummary(error);
    const state = await markAttemptFailed(receipt, message, now);
    log.error("webhook processing failed", { ...context, error: message, state });
    return;
  }
  if (!result) await markProcessed(receipt, "done", now);
  else if ("processed" in result) await markProcessed(receipt, result.processed, now);
  else if ("ignored" in result) await markIgnored(receipt, result.ignored, now);
  else {
    const state = await markWaiting(receipt, result.waiting, result.detail, now);
    log.warn("webhook waits", { ...context, waitingFor: result.waiting, detail: result.detail, state });
  }
  // The privacy request's body is gone from the row; make sure no copy stays in SQLite's write-ahead log.
  if (isComplianceTopic(receipt.topic)) await flushErasedData();
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
