import { setImmediate as nextTurn } from "node:timers/promises";
import type { WebhookReceipt } from "@prisma/client";
import { flushErasedData, prisma } from "../db.server";
import { errorSummary, log } from "../log.server";
import { installationAtShopify, updateGrantedScopes } from "../platform/app-lifecycle.server";
import { answerDataRequest, redactShop, type CustomerRequest } from "../platform/compliance.server";
import { PIXEL_BATCH_TOPIC } from "../platform/pixel-ingest.server";
import { ShopifyUnavailable } from "../platform/shopify-unavailable";
import { parseWebhookJson } from "../platform/webhook-json";
import { isComplianceTopic, isKnownTopic, type WebhookTopic } from "../platform/webhook-topics";
import { refreshShopFacts } from "../shops/shop-facts.server";
import { SHOP_IDENTITY, type ShopIdentity } from "../shops/shop-identity";
import {
  observeCarrierScan,
  observeFulfillment,
  observeFulfillmentOrder,
  observeOrder,
  type Observer,
  type TrackingWebhook,
} from "../tracking/observe.server";
import { mergeCustomerProfiles } from "./customer-merge.server";
import { eraseCustomer, uninstall } from "./offboarding.server";
import { LIVE, recordFound } from "./event-outbox.server";
import { identifyVisitorByCheckout, recordStorefrontBatch, type StoredPixelBatch } from "./storefront-recorder.server";
import { localPickupOf, orderOfFulfillmentOrder, repairOrder } from "./order-repair.server";
import { onWork } from "../work-signal.server";
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

/**
 * A tracking webhook: the tracking stage observes it, and what it shows is recorded once. One
 * about an order Waypost has not seen is repaired from Shopify first, then observed again.
 */
const track =
  (
    observe: Observer,
    factsFromShopify?: (shop: ShopIdentity, payload: Payload) => Promise<Partial<TrackingWebhook>>,
  ): ReceiptHandler =>
  async (receipt, payload) => {
    const shop = receipt.shopId ? await installedShop(receipt.shopId) : undefined;
    if (!shop) return { ignored: "shop uninstalled Waypost" };
    const webhook: TrackingWebhook = {
      payload,
      happenedAt: receipt.triggeredAt ?? receipt.receivedAt,
      ...(await factsFromShopify?.(shop, payload)),
    };
    let observed = await observe(shop, webhook);
    let repaired: { recorded: number; queued: number } | undefined;
    if ("unknownOrder" in observed) {
      const repair = await repairOrder(shop, observed.unknownOrder);
      if ("impossible" in repair) return { ignored: repair.impossible };
      repaired = repair;
      observed = await observe(shop, webhook);
      if ("unknownOrder" in observed)
        throw new Error(`order ${observed.unknownOrder} is still unknown after its repair`);
    }
    if ("nothing" in observed) {
      log.warn(observed.nothing, { receiptId: receipt.id, ...observed.fields });
      return { ignored: observed.nothing };
    }
    const { order, shipment, status } = observed;
    const found = observed.detections.map((detection) => ({ detection, order, shipment, status }));
    const recorded = await recordFound(shop, found, LIVE);
    const outcome = recordedOutcome(
      found.length + (repaired?.recorded ?? 0),
      { recorded: recorded.recorded + (repaired?.recorded ?? 0), queued: recorded.queued + (repaired?.queued ?? 0) },
      observed.note,
    );
    return { processed: repaired ? `${outcome} (order ${order.name} read from Shopify)` : outcome };
  };

/**
 * A fulfillment_orders/* webhook names only the fulfillment order's GID, no order: Shopify is asked
 * which order it belongs to, and the tracking stage sees the payload with that order_id filled in.
 */
const trackFulfillmentOrder =
  (observe: Observer): ReceiptHandler =>
  async (receipt, payload) => {
    const fulfillmentOrder = payload?.fulfillment_order as { id?: unknown } | undefined;
    if (typeof fulfillmentOrder?.id !== "string") return { ignored: "the webhook names no fulfillment order" };
    const shop = receipt.shopId ? await installedShop(receipt.shopId) : undefined;
    if (!shop) return { ignored: "shop uninstalled Waypost" };
    const resolved = await orderOfFulfillmentOrder(shop, fulfillmentOrder.id);
    if ("impossible" in resolved) return { ignored: resolved.impossible };
    return track(observe)(receipt, {
      ...payload,
      fulfillment_order: { ...fulfillmentOrder, order_id: resolved.orderId },
    });
  };

/** fulfillments/*: a fulfillment without carrier or tracking may be a collected local pickup, which only Shopify can say. */
const trackFulfillment = track(observeFulfillment, async (shop, payload) => ({
  localPickup: await localPickupOf(shop, payload),
}));

/** orders/*: tracked, and the storefront browser whose checkout placed the order learns who its shopper is. */
const trackOrderEvents = track(observeOrder);
const trackOrder: ReceiptHandler = async (receipt, payload) => {
  const result = await trackOrderEvents(receipt, payload);
  if (receipt.shopId && !(result && "ignored" in result)) await identifyVisitorByCheckout(receipt.shopId, payload);
  return result;
};

/** What a tracking receipt brought, as Activity shows it. */
function recordedOutcome(
  found: number,
  { recorded, queued }: { recorded: number; queued: number },
  note = "no new event: the order's details were brought up to date",
): string {
  if (found === 0) return note;
  if (recorded === 0) return `no new event: ${found === 1 ? "its event was" : "its events were"} already recorded`;
  const skipped = recorded - queued;
  const parts = [queued ? `${queued} to send` : "", skipped ? `${skipped} skipped (see Events)` : ""].filter(Boolean);
  return `${recorded} event${recorded === 1 ? "" : "s"} recorded: ${parts.join(", ")}`;
}

const STILL_INSTALLED =
  "Shopify still accepts the shop's access token, so the app is installed: this did not come from Shopify";

/**
 * A destructive topic runs only once Shopify confirms the shop's token no longer works: a body
 * replayed with another shop's headers must not erase a shop that still has the app.
 */
async function onceUninstalledAtShopify(receipt: WebhookReceipt, act: () => Promise<unknown>): Promise<HandlerResult> {
  // Throws ShopifyUnavailable when Shopify cannot answer now: the receipt then waits for Shopify.
  if ((await installationAtShopify(receipt.shopDomain)) === "installed") return { ignored: STILL_INSTALLED };
  await act();
}

/**
 * Every subscribed topic and what handles it: the compiler refuses a topic of webhook-topics.ts
 * (which shopify.app.toml must match, see webhook-subscriptions.test.ts) without an entry here.
 */
export const TOPIC_HANDLERS = {
  "orders/create": trackOrder,
  "orders/updated": trackOrder,
  "orders/paid": trackOrder,
  "orders/cancelled": trackOrder,
  "orders/fulfilled": trackOrder,
  "orders/partially_fulfilled": trackOrder,
  "fulfillments/create": trackFulfillment,
  "fulfillments/update": trackFulfillment,
  "fulfillment_events/create": track(observeCarrierScan),
  "fulfillment_orders/placed_on_hold": trackFulfillmentOrder(observeFulfillmentOrder("placed_on_hold")),
  "fulfillment_orders/hold_released": trackFulfillmentOrder(observeFulfillmentOrder("hold_released")),
  "fulfillment_orders/order_routing_complete": trackFulfillmentOrder(observeFulfillmentOrder("order_routing_complete")),
  "fulfillment_orders/fulfillment_request_accepted": trackFulfillmentOrder(
    observeFulfillmentOrder("fulfillment_request_accepted"),
  ),
  "fulfillment_orders/progress_reported": trackFulfillmentOrder(observeFulfillmentOrder("progress_reported")),
  "fulfillment_orders/line_items_prepared_for_pickup": trackFulfillmentOrder(
    observeFulfillmentOrder("line_items_prepared_for_pickup"),
  ),
  "fulfillment_orders/cancelled": trackFulfillmentOrder(observeFulfillmentOrder("cancelled")),
  "app/uninstalled": (receipt) => onceUninstalledAtShopify(receipt, () => uninstall(receipt.shopDomain)),
  "app/scopes_update": (receipt, payload) =>
    updateGrantedScopes(receipt.shopDomain, (payload?.current as string[] | undefined) ?? []),
  // The payload is the REST Shop; the facts are read again through the one GraphQL reader.
  "shop/update": async (receipt) => {
    const read = await refreshShopFacts(receipt.shopDomain);
    if (read.ok) return;
    if (read.noAccess) return { ignored: `the store's details could not be read: ${read.reason}` };
    throw new Error(`the store's details could not be read: ${read.reason}`);
  },
  "customers/merge": async (receipt, payload) => {
    const shop = receipt.shopId ? await installedShop(receipt.shopId) : undefined;
    if (!shop) return { ignored: "shop uninstalled Waypost" };
    return mergeCustomerProfiles(shop.id, payload, receipt.attempts);
  },
  "customers/data_request": async (receipt, payload) =>
    void (await answerDataRequest(customerRequest(receipt, payload))),
  "customers/redact": async (receipt, payload) => void (await eraseCustomer(customerRequest(receipt, payload))),
  // Shopify sends shop/redact 48 hours after an uninstall, never to a shop that has the app.
  "shop/redact": (receipt) => onceUninstalledAtShopify(receipt, () => redactShop(receipt.shopDomain)),
} satisfies Record<WebhookTopic, ReceiptHandler>;

/** A storefront pixel batch (stored by the pixel ingest, already checked against the contract). */
const trackStorefront: ReceiptHandler = async (receipt, payload) => {
  const shop = receipt.shopId ? await installedShop(receipt.shopId) : undefined;
  if (!shop) return { ignored: "shop uninstalled Waypost" };
  const { found, ...recorded } = await recordStorefrontBatch(shop, payload as unknown as StoredPixelBatch);
  return { processed: recordedOutcome(found, recorded, "no new event: page views within a visit already counted") };
};

const handlerFor = (topic: string): ReceiptHandler | undefined =>
  isKnownTopic(topic) ? TOPIC_HANDLERS[topic] : topic === PIXEL_BATCH_TOPIC ? trackStorefront : undefined;

const RECEIPT_BATCH = 50;
export const WAITING_FOR_SHOPIFY = "waiting for Shopify";
const HANDLED_TOPICS = [...Object.keys(TOPIC_HANDLERS), PIXEL_BATCH_TOPIC];

/** What a worker does between two receipts, told how long the last one took. */
type Pace = (tookMs: number) => Promise<void>;

// SQLite calls finish without ever reaching the event loop's I/O phase; letting waiting webhook
// requests in between receipts means accepting a webhook never waits on a batch.
const letRequestsIn: Pace = () => nextTurn();

/** Claims and finishes due receipts; returns how many it took. Safe to run in many processes. */
export async function processPendingReceipts({
  limit = RECEIPT_BATCH,
  now = new Date(),
  pace = letRequestsIn,
}: { limit?: number; now?: Date; pace?: Pace } = {}): Promise<number> {
  await reclaimStaleReceipts(now);
  const claimed = await claimDueReceipts(HANDLED_TOPICS, limit, now);
  for (const receipt of claimed) {
    const startedAt = performance.now();
    await finishReceipt(receipt, now);
    await pace(performance.now() - startedAt);
  }
  return claimed.length;
}

// Beside the web server on one thread (SQLite), while webhooks arrive: a receipt is followed by
// a rest as long as it took times REST_PER_WORK, scaled by how fast they arrive (all of it from
// BURST_PER_SECOND on), so during a burst processing takes at most a quarter of the thread and a
// webhook waits at most for the one receipt being processed; what was accepted is durable and is
// processed at full speed once the burst is over. Webhooks arriving one by one keep being
// processed as they come: with the whole rest after each, an order's receipt (30 ms of work) was
// processed slower than 10 a second arrived, and its event reached Klaviyo a second late.
const REST_PER_WORK = 3;
const BURST_PER_SECOND = 50;
// Arrivals are counted over this window, so a burst is seen within its first eighth of a second.
const RATE_WINDOW_MS = 250;

const restFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The pace beside a web server on the same thread: rests the more the faster webhooks arrive (notifyWork). */
export function paceBesideIngest({ clock = () => performance.now(), rest = restFor } = {}): {
  pace: Pace;
  stop(): void;
} {
  // When each webhook of the last RATE_WINDOW_MS arrived, oldest first.
  const arrivals: number[] = [];
  const forgetOld = () => {
    while (arrivals.length && arrivals[0] <= clock() - RATE_WINDOW_MS) arrivals.shift();
  };
  const stop = onWork("receipt", () => {
    forgetOld();
    arrivals.push(clock());
  });
  const arrivalsPerSecond = () => {
    forgetOld();
    return (arrivals.length * 1000) / RATE_WINDOW_MS;
  };
  const pace: Pace = (tookMs) => {
    const restMs = tookMs * REST_PER_WORK * Math.min(1, arrivalsPerSecond() / BURST_PER_SECOND);
    return restMs >= 1 ? rest(restMs) : letRequestsIn(tookMs);
  };
  return { pace, stop };
}

async function finishReceipt(receipt: WebhookReceipt, now: Date): Promise<void> {
  const context = { receiptId: receipt.id, topic: receipt.topic };
  let result: HandlerResult;
  try {
    result = await handlerFor(receipt.topic)!(receipt, parseWebhookJson(receipt.body) as Payload);
  } catch (error) {
    const message = errorSummary(error);
    if (!(error instanceof ShopifyUnavailable)) {
      const state = await markAttemptFailed(receipt, message, now);
      log.error("webhook processing failed", { ...context, error: message, state });
      return;
    }
    result = { waiting: WAITING_FOR_SHOPIFY, detail: message };
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

/**
 * Runs the receipt worker in this process: on every new receipt, and every `pollMs` regardless.
 * `besideIngest`: the web server accepts webhooks on this same thread (SQLite), and goes first.
 */
export function startReceiptWorker({ pollMs = 2000, besideIngest = false } = {}) {
  const pacing = besideIngest ? paceBesideIngest() : undefined;
  const worker = startPollingWorker(
    "receipt",
    async () => {
      // A full batch means more may be waiting: go again at once rather than at the next poll.
      const finished = await processPendingReceipts({ limit: RECEIPT_BATCH, pace: pacing?.pace });
      return { runAgainInMs: finished >= RECEIPT_BATCH ? 0 : undefined };
    },
    pollMs,
  );
  return {
    async stop() {
      await worker.stop();
      pacing?.stop();
    },
  };
}
