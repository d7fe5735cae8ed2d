import { klaviyoConnectionOf } from "../klaviyo/connection-store.server";
import { buildEventPayload, leftOutOfEvent } from "../klaviyo/event-payload";
import { trackSettingsFor } from "../settings/track-settings.server";
import { storeDomainOf, type ShopIdentity } from "../shops/shop-identity";
import { customerIdentity, isReachable, withLatestName } from "../tracking/contact";
import { EVENT_SOURCE } from "../tracking/event-source";
import { EVENT_STATUS } from "../tracking/event-status";
import type { FoundEvent } from "../tracking/found-event";
import { gateEvent, type GateDecision } from "../tracking/gate";
import { latestKnownContacts } from "../tracking/tracking-store.server";
import { notifyWork, type WorkKind } from "../work-signal.server";
import { recordEvents, type NewEvent } from "./event-queue/record.server";
import { productImagesFor } from "./product-images.server";
import { queueProfileSync } from "./profile-sync.server";

/**
 * Whose events are recorded: live ones (from webhooks and the delay scan), or those of one
 * import of order history. They are gated, frozen and recorded alike, except where RULES says.
 */
export type RecordPolicy = { kind: "live" } | { kind: "historical"; backfillId: string; triggerFlows: boolean };

export const LIVE: RecordPolicy = { kind: "live" };

const RULES: Record<
  RecordPolicy["kind"],
  { asksTheStore: boolean; recordsSkipped: boolean; syncsProfiles: boolean; wakes: WorkKind }
> = {
  // Connected and live, asked of each event; a skipped one is recorded with the reason, for Activity.
  live: { asksTheStore: true, recordsSkipped: true, syncsProfiles: true, wakes: "event" },
  // The store was checked when the import started. A skipped event is recorded for Activity and
  // the import card, and gives its key up to a later live event or import (see recordEvents).
  historical: { asksTheStore: false, recordsSkipped: true, syncsProfiles: false, wakes: "backfill" },
};

/**
 * The one recorder: gates each event found (Klaviyo connected, Go Live, the event's toggle, a
 * way to reach the customer), freezes the Klaviyo body of those that may go, and records each
 * once per shop and unique key, queued or skipped with the reason. Returns how many were
 * recorded, how many of those were queued, and how many the gate held back.
 */
export async function recordFound(
  shop: ShopIdentity,
  foundEvents: FoundEvent[],
  policy: RecordPolicy,
  now = new Date(),
) {
  if (foundEvents.length === 0) return { recorded: 0, queued: 0, skipped: 0 };
  const rules = RULES[policy.kind];
  const [settings, connection, found] = await Promise.all([
    trackSettingsFor(shop.id),
    rules.asksTheStore ? klaviyoConnectionOf(shop.id) : null,
    withLatestNames(shop, foundEvents),
  ]);
  const gated = found.map((event) => ({
    event,
    decision: gateEvent({
      store: rules.asksTheStore ? { klaviyoConnected: Boolean(connection), goLive: settings.goLive } : undefined,
      eventEnabled: settings.events.find((setting) => setting.key === event.detection.eventKey)?.enabled ?? false,
      reachable: isReachable(event.order.contact),
    }),
  }));
  const candidates = rules.recordsSkipped ? gated : gated.filter(({ decision }) => decision.send);
  const imageUrls = await productImagesFor(
    shop,
    gated
      .filter(({ decision }) => decision.send)
      .flatMap(({ event }) => event.order.lineItems.map((item) => item.variantId)),
    now,
  );
  const rows = candidates.map(({ event, decision }) => newEvent(shop, event, decision, policy, now, imageUrls));
  const { recorded, queued } = await recordEvents(shop.id, rows);
  if (queued) {
    if (rules.syncsProfiles)
      for (const order of new Map(found.map(({ order }) => [order.id, order])).values())
        await queueProfileSync(shop.id, order.contact);
    notifyWork(rules.wakes);
  }
  return { recorded, queued, skipped: gated.filter(({ decision }) => !decision.send).length };
}

/**
 * The events, each order's contact carrying the customer's latest known name: a late event of
 * an old order never puts back a name the customer has since changed.
 */
async function withLatestNames(shop: ShopIdentity, found: FoundEvent[]): Promise<FoundEvent[]> {
  const identities = found
    .map(({ order }) => customerIdentity(order.contact))
    .filter((id): id is string => Boolean(id));
  const latest = await latestKnownContacts(shop.id, identities);
  return found.map((event) => {
    const identity = customerIdentity(event.order.contact);
    const known = identity ? latest.get(identity) : undefined;
    if (!known) return event;
    const placedAt = event.order.createdAt ? new Date(event.order.createdAt) : null;
    const contact = withLatestName({ contact: event.order.contact, knownAt: placedAt }, [known]);
    return { ...event, order: { ...event.order, contact } };
  });
}

function newEvent(
  shop: ShopIdentity,
  event: FoundEvent,
  decision: GateDecision,
  policy: RecordPolicy,
  now: Date,
  imageUrls: Record<string, string>,
): NewEvent {
  const row = {
    ...eventIdentity(shop, event),
    note: leftOutOfEvent({ ...event, store: storeOf(shop) }).join(" ") || null,
    detectedAt: now,
    // An event whose platform time is unknown happened, as far as anyone can tell, when it was found.
    occurredAt: event.detection.happenedAt ? new Date(event.detection.happenedAt) : now,
    ...(policy.kind === "historical"
      ? { backfillId: policy.backfillId, source: EVENT_SOURCE.imported }
      : { source: EVENT_SOURCE.live }),
  };
  if (!decision.send)
    return { ...row, status: EVENT_STATUS.skipped, skipReason: decision.reason, payload: null, nextAttemptAt: null };
  const payload = frozenPayload(shop, event, {
    backfill: policy.kind === "historical" && !policy.triggerFlows,
    imageUrls,
  });
  return {
    ...row,
    status: EVENT_STATUS.queued,
    skipReason: null,
    payload: payload ? JSON.stringify(payload) : null,
    nextAttemptAt: now,
  };
}

/** What a recorded event is found and shown by in Activity, live or historical. */
export function eventIdentity(shop: ShopIdentity, { order, shipment, detection }: FoundEvent) {
  return {
    shopId: shop.id,
    uniqueKey: detection.uniqueKey,
    eventKey: detection.eventKey,
    orderId: detection.orderId,
    orderName: order.name,
    fulfillmentId: detection.fulfillmentId,
    happenedAt: detection.happenedAt ? new Date(detection.happenedAt) : null,
    customerEmail: order.contact.email?.toLowerCase() ?? null,
    trackingNumber: shipment?.trackingNumbers[0] ?? null,
  };
}

const storeOf = (shop: ShopIdentity) => ({ name: shop.name, domain: storeDomainOf(shop), currency: shop.currency });

/** The Klaviyo body an event is sent with, built once and frozen with it. */
export function frozenPayload(
  shop: ShopIdentity,
  { order, shipment, detection, status, extraProperties }: FoundEvent,
  { backfill, imageUrls }: { backfill?: boolean; imageUrls?: Record<string, string> } = {},
) {
  return buildEventPayload({
    eventKey: detection.eventKey,
    uniqueId: detection.uniqueKey,
    happenedAt: detection.happenedAt,
    store: storeOf(shop),
    order,
    shipment,
    lineItemId: detection.lineItemId,
    status,
    timeZone: shop.timezone,
    extraProperties,
    backfill,
    imageUrls,
  });
}
