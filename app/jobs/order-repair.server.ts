import { prisma } from "../db.server";
import { log } from "../log.server";
import { adminApiForShop, type AdminOutcome } from "../platform/admin-graphql.server";
import { orderGid, webhookPayloadsOf, type HistoryOrder } from "../platform/order-history";
import { readOrderWithFulfillments } from "../platform/order-reader.server";
import { ShopifyUnavailable } from "../platform/shopify-unavailable";
import type { ShopIdentity } from "../shops/shop-identity";
import type { FoundEvent } from "../tracking/found-event";
import { normalizeFulfillment } from "../tracking/normalize";
import {
  observeCarrierScan,
  observeFulfillment,
  observeOrder,
  type NeedsOrder,
  type NothingObserved,
  type Observation,
} from "../tracking/observe.server";
import { knownShipment } from "../tracking/tracking-store.server";
import { LIVE, recordFound } from "./event-outbox.server";

/** A repair could not be made, and why (the receipt is ignored with it): Shopify has no such order, or no access. */
export type RepairResult = { recorded: number; queued: number } | { impossible: string };

/** Shopify's answer, or what waiting for it means: throttled or unreachable waits, anything else fails. */
function answerOf<T>(outcome: AdminOutcome<T>): { data: T } | { impossible: string } {
  if (outcome.ok) return { data: outcome.data };
  if (outcome.kind === "throttled") throw new ShopifyUnavailable(outcome.detail, outcome.waitMs);
  if (outcome.kind === "unauthorized") return { impossible: outcome.detail };
  throw new Error(`Shopify could not answer: ${outcome.detail}`);
}

/**
 * Repair instead of drop: an order Waypost has not seen is read from the Admin API with its
 * fulfillments, tracking and carrier events (the one order reader the history import uses), and
 * goes through the live observers as the webhooks of its life would have.
 */
export async function repairOrder(shop: ShopIdentity, orderId: string, now = new Date()): Promise<RepairResult> {
  const api = await adminApiForShop(shop.domain);
  if (!api) return { impossible: "Waypost holds no access to the store to read the order from Shopify" };
  const answer = answerOf(await readOrderWithFulfillments(api, orderGid(orderId)));
  if ("impossible" in answer) return answer;
  if (!answer.data) return { impossible: `Shopify has no order ${orderId} (deleted, or another store's)` };
  const { installedAt } = await prisma.shop.findUniqueOrThrow({
    where: { id: shop.id },
    select: { installedAt: true },
  });
  return recordFound(shop, await observeAsLive(shop, answer.data, { installedAt, now }), LIVE);
}

/**
 * An order as the Admin API holds it, observed as the webhooks of its life would have brought it
 * (same normalization, same detection, same unique keys, so nothing is recorded twice): the
 * events it shows that live traffic has not recorded. What happened before the shop installed
 * Waypost only fills in the snapshots: a customer does not get "order placed" for last week's order.
 */
export async function observeAsLive(
  shop: ShopIdentity,
  historyOrder: HistoryOrder,
  { installedAt, now }: { installedAt: Date; now: Date },
): Promise<FoundEvent[]> {
  const found: FoundEvent[] = [];
  const collect = (observed: Observation | NothingObserved | NeedsOrder) => {
    if (!("detections" in observed)) return;
    const { order, shipment, status } = observed;
    for (const detection of observed.detections) {
      const at = detection.happenedAt ?? order.createdAt;
      if (at && new Date(at) < installedAt) continue;
      found.push({ detection, order, shipment, status });
    }
  };
  const payloads = webhookPayloadsOf(historyOrder);
  const webhook = (payload: unknown) => ({ payload, happenedAt: now });
  collect(await observeOrder(shop, webhook(payloads.order)));
  for (const fulfillment of payloads.fulfillments) {
    const localPickup = await localPickupOf(shop, fulfillment.created);
    collect(await observeFulfillment(shop, { ...webhook(fulfillment.created), localPickup }));
    for (const scan of fulfillment.scans) collect(await observeCarrierScan(shop, webhook(scan)));
    const { displayStatus, updatedAt } = fulfillment.latest;
    const latest = { ...fulfillment.created, shipment_status: displayStatus, updated_at: updatedAt };
    collect(await observeFulfillment(shop, { ...webhook(latest), localPickup }));
  }
  return found;
}

/** The order a fulfillment order belongs to (its webhooks name only the fulfillment order's GID). */
export async function orderOfFulfillmentOrder(
  shop: ShopIdentity,
  fulfillmentOrderGid: string,
): Promise<{ orderId: string } | { impossible: string }> {
  const api = await adminApiForShop(shop.domain);
  if (!api) return { impossible: "Waypost holds no access to the store to ask Shopify which order this is" };
  const answer = answerOf(await api.orderOfFulfillmentOrder(fulfillmentOrderGid));
  if ("impossible" in answer) return answer;
  return answer.data
    ? { orderId: answer.data }
    : { impossible: `Shopify has no fulfillment order ${fulfillmentOrderGid}` };
}

/**
 * Whether a fulfillment webhook is about a local pickup the customer collected. Only one that
 * succeeded with no carrier and no tracking can be; Shopify is asked about it once (the answer is
 * kept in the shipment's snapshot). Undefined: not asked, or Shopify would not say (it is then
 * tracked as a shipment). Throttled or unreachable throws ShopifyUnavailable: the receipt waits.
 */
export async function localPickupOf(shop: ShopIdentity, payload: unknown): Promise<boolean | undefined> {
  const normalized = normalizeFulfillment(payload);
  if (!normalized.ok) return undefined;
  const fulfillment = normalized.value;
  const tracked = Boolean(fulfillment.carrier || fulfillment.trackingNumbers.length || fulfillment.trackingUrls.length);
  if (fulfillment.status !== "success" || tracked) return undefined;
  const known = await knownShipment(shop.id, fulfillment.fulfillmentId);
  if (known?.shipment.localPickup !== undefined) return known.shipment.localPickup;
  const api = await adminApiForShop(shop.domain);
  if (!api) return undefined;
  const answer = answerOf(await api.isLocalPickup(fulfillment.fulfillmentId));
  if ("impossible" in answer) {
    log.warn("could not ask Shopify whether a fulfillment is a local pickup", { reason: answer.impossible });
    return undefined;
  }
  return answer.data ?? false;
}
