import { prisma } from "../db.server";
import { klaviyoConnectionOf } from "../klaviyo/connection-store.server";
import { buildStorefrontPayload } from "../klaviyo/storefront-payload";
import type { PixelBatch, PixelEvent } from "../platform/pixel-batch";
import { trackSettingsFor } from "../settings/track-settings.server";
import { storeDomainOf, type ShopIdentity } from "../shops/shop-identity";
import { EVENT_SOURCE } from "../tracking/event-source";
import { EVENT_STATUS } from "../tracking/event-status";
import { gateEvent } from "../tracking/gate";
import { normalizeOrder } from "../tracking/normalize";
import {
  contactOfVisitor,
  EVENT_OF_PIXEL,
  identityInBatch,
  startsVisit,
  storefrontUniqueKey,
  type VisitorIdentity,
} from "../tracking/storefront-events";
import { notifyWork } from "../work-signal.server";
import { recordEvents, type NewEvent } from "./event-queue/record.server";

/** A batch as the ingest stored it: the contract's, without the pixel key. */
export type StoredPixelBatch = Omit<PixelBatch, "pixelKey">;

/** What storefront events are filed under in Activity in place of an order. */
export const STOREFRONT_ORDER_ID = "storefront";

/**
 * A storefront batch's events, through the same gate and recorder as order events: each once per
 * shop and Shopify event id, queued with its frozen body or skipped with the reason. The browser's
 * identity is kept (StorefrontVisitor): once it is known, every event from that browser carries
 * the customer's email and phone beside its anonymous_id, so Klaviyo merges the guest's profile.
 * A page view counts only when it starts a visit (Active on Site once per visit).
 */
export async function recordStorefrontBatch(shop: ShopIdentity, batch: StoredPixelBatch, now = new Date()) {
  const visitor = await prisma.storefrontVisitor.findUnique({
    where: { shopId_clientId: { shopId: shop.id, clientId: batch.clientId } },
  });
  const identity = { ...knownIdentity(visitor), ...identityInBatch(batch) };
  const identified = Boolean(identity.email || identity.phone);

  let lastPageViewAt = visitor?.lastPageViewAt ?? null;
  const counted: PixelEvent[] = [];
  for (const event of [...batch.events].sort((a, b) => a.timestamp.localeCompare(b.timestamp))) {
    if (event.name === "page_viewed") {
      const at = new Date(event.timestamp);
      const visitStarts = startsVisit(lastPageViewAt, at);
      if (!lastPageViewAt || at > lastPageViewAt) lastPageViewAt = at;
      if (!visitStarts) continue;
    }
    counted.push(event);
  }

  const checkoutToken = [...batch.events].reverse().find((event) => event.data.checkout?.token)?.data.checkout?.token;
  const visitorData = {
    ...identity,
    lastPageViewAt,
    identifiedAt: visitor?.identifiedAt ?? (identified ? now : null),
    ...(checkoutToken ? { checkoutToken } : {}),
  };
  await prisma.storefrontVisitor.upsert({
    where: { shopId_clientId: { shopId: shop.id, clientId: batch.clientId } },
    create: { shopId: shop.id, clientId: batch.clientId, ...visitorData },
    update: visitorData,
  });

  const [settings, connection] = await Promise.all([trackSettingsFor(shop.id), klaviyoConnectionOf(shop.id)]);
  const contact = { ...contactOfVisitor(identity), country: shop.countryCode };
  const store = { name: shop.name, domain: storeDomainOf(shop), currency: shop.currency };
  const rows = counted.map((event): NewEvent => {
    const eventKey = EVENT_OF_PIXEL[event.name];
    const uniqueKey = storefrontUniqueKey(shop.domain, event);
    const happenedAt = new Date(event.timestamp);
    const row = {
      shopId: shop.id,
      uniqueKey,
      eventKey,
      orderId: STOREFRONT_ORDER_ID,
      orderName: null,
      fulfillmentId: null,
      happenedAt,
      occurredAt: happenedAt,
      detectedAt: now,
      customerEmail: contact.email,
      trackingNumber: null,
      note: null,
      source: EVENT_SOURCE.live,
    };
    const decision = gateEvent({
      store: { klaviyoConnected: Boolean(connection), goLive: settings.goLive },
      eventEnabled: settings.events.find((setting) => setting.key === eventKey)?.enabled ?? false,
      // The browser's anonymous_id always reaches its Klaviyo profile, known customer or not.
      reachable: true,
    });
    if (!decision.send)
      return { ...row, status: EVENT_STATUS.skipped, skipReason: decision.reason, payload: null, nextAttemptAt: null };
    const payload = buildStorefrontPayload({
      eventKey,
      uniqueId: uniqueKey,
      event,
      clientId: batch.clientId,
      contact,
      store,
    });
    return {
      ...row,
      status: EVENT_STATUS.queued,
      skipReason: null,
      payload: JSON.stringify(payload),
      nextAttemptAt: now,
    };
  });
  const { recorded, queued } = await recordEvents(shop.id, rows);
  if (queued) notifyWork("event");
  return { found: rows.length, recorded, queued };
}

function knownIdentity(visitor: Partial<VisitorIdentity> | null): Partial<VisitorIdentity> {
  if (!visitor) return {};
  const { customerId, email, phone, firstName, lastName } = visitor;
  return Object.fromEntries(
    Object.entries({ customerId, email, phone, firstName, lastName }).filter(([, value]) => value),
  ) as Partial<VisitorIdentity>;
}

/**
 * orders/*: an order placed from a checkout a storefront browser started names that browser's
 * shopper, if nothing had yet (a guest's checkout_started often comes before the email is typed),
 * so the browser's later events carry the customer's email beside its anonymous_id. A browser
 * already identified (a login, its checkout) keeps who it was.
 */
export async function identifyVisitorByCheckout(shopId: string, payload: unknown, now = new Date()): Promise<number> {
  const checkoutToken = (payload as { checkout_token?: unknown } | null)?.checkout_token;
  if (typeof checkoutToken !== "string" || !checkoutToken) return 0;
  const order = normalizeOrder(payload);
  if (!order.ok) return 0;
  const { customerId, email, phone, firstName, lastName } = order.value.contact;
  if (!email && !phone) return 0;
  const identity = Object.fromEntries(
    Object.entries({ customerId, email: email?.toLowerCase(), phone, firstName, lastName }).filter(
      ([, value]) => value,
    ),
  );
  const { count } = await prisma.storefrontVisitor.updateMany({
    where: { shopId, checkoutToken, identifiedAt: null },
    data: { ...identity, identifiedAt: now },
  });
  return count;
}

/** customers/redact: the storefront browsers linked to the customer (by email or phone) are forgotten. */
export const forgetStorefrontVisitors = (shopId: string, identities: string[]) =>
  prisma.storefrontVisitor.deleteMany({
    where: { shopId, OR: [{ email: { in: identities } }, { phone: { in: identities } }] },
  });
