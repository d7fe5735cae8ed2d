import { webhookPayloadsOf, type HistoryOrder } from "../platform/order-history";
import { detectOrderEvents, detectShipmentEvent } from "./detect";
import type { FoundEvent } from "./found-event";
import { normalizeFulfillment, normalizeFulfillmentEvent, normalizeOrder, type StoreContext } from "./normalize";
import type { Milestone } from "./shipment-milestones";

/** One event found in an order's history, with what its payload is built from. */
export type HistoricalEvent = FoundEvent;

/**
 * Every event an order's history shows, found exactly as its live webhooks would have found
 * them: the order, then each fulfillment made, scanned and where it stands now. The keys are
 * the live ones, so an event already sent live is recognised as the same event. Pure.
 */
export function eventsInHistory(
  shopDomain: string,
  history: HistoryOrder,
  store: StoreContext = {},
): { events: HistoricalEvent[] } | { unusable: string } {
  const payloads = webhookPayloadsOf(history);
  const normalized = normalizeOrder(payloads.order, store);
  if (!normalized.ok) return { unusable: normalized.reason };
  const order = normalized.value;
  const events: HistoricalEvent[] = detectOrderEvents(shopDomain, order).map((detection) => ({
    detection,
    order,
    shipment: null,
    status: null,
  }));

  for (const fulfillment of payloads.fulfillments) {
    const created = normalizeFulfillment(fulfillment.created);
    if (!created.ok) continue;
    let shipment = created.value;
    let milestone: Milestone | null = null;
    const observe = (shopifyStatus: string | null, fulfilled: boolean, happenedAt: string | null) => {
      const next = detectShipmentEvent(shopDomain, milestone, {
        orderId: order.id,
        fulfillmentId: shipment.fulfillmentId,
        shopifyStatus,
        fulfilled,
        happenedAt,
      });
      milestone = next.milestone;
      if (next.detection) events.push({ detection: next.detection, order, shipment, status: shopifyStatus });
    };

    observe(shipment.shipmentStatus, shipment.status === "success", shipment.happenedAt);
    for (const payload of fulfillment.scans) {
      const scan = normalizeFulfillmentEvent(payload);
      if (!scan.ok) continue;
      shipment = { ...shipment, estimatedDeliveryAt: scan.value.estimatedDeliveryAt ?? shipment.estimatedDeliveryAt };
      observe(scan.value.status, false, scan.value.happenedAt);
    }
    observe(fulfillment.latest.displayStatus, false, fulfillment.latest.updatedAt);
  }
  return { events };
}
