import { prisma } from "../db.server";
import { env } from "../env.server";
import { EVENT_CATALOG, type EventKey } from "../tracking/event-catalog";

const EVENT_KEYS = new Set<string>(EVENT_CATALOG.map((event) => event.key));

export function isEventKey(key: string): key is EventKey {
  return EVENT_KEYS.has(key);
}

/**
 * Go Live, one toggle per catalog event, and the shop's no-scan delay threshold; events the
 * merchant never touched keep their default, and so does the threshold (SHIPMENT_DELAY_DAYS).
 */
export async function trackSettingsFor(shopId: string) {
  const [shop, saved] = await Promise.all([
    prisma.shop.findUniqueOrThrow({ where: { id: shopId }, select: { goLive: true, shipmentDelayDays: true } }),
    prisma.eventSetting.findMany({ where: { shopId } }),
  ]);
  const savedByKey = new Map(saved.map((setting) => [setting.eventKey, setting.enabled]));
  return {
    goLive: shop.goLive,
    shipmentDelayDays: shop.shipmentDelayDays ?? env.shipmentDelayDays,
    shipmentDelayDefault: env.shipmentDelayDays,
    events: EVENT_CATALOG.map((event) => ({ ...event, enabled: savedByKey.get(event.key) ?? event.defaultEnabled })),
  };
}

/**
 * Saves Go Live, the toggles and (when given) the no-scan delay threshold. An event still at its
 * default with no saved choice keeps no row, so "never chosen" stays visible
 * (keepShadowedEventsOff relies on it); what is in effect is the same.
 */
export async function saveTrackSettings(
  shopId: string,
  settings: { goLive: boolean; enabledEvents: EventKey[]; shipmentDelayDays?: number },
) {
  const enabled = new Set<string>(settings.enabledEvents);
  const chosen = new Set((await prisma.eventSetting.findMany({ where: { shopId } })).map((row) => row.eventKey));
  // The default is kept as no choice of the shop's, so it follows SHIPMENT_DELAY_DAYS.
  const delay =
    settings.shipmentDelayDays === undefined
      ? {}
      : { shipmentDelayDays: settings.shipmentDelayDays === env.shipmentDelayDays ? null : settings.shipmentDelayDays };
  await prisma.$transaction([
    prisma.shop.update({ where: { id: shopId }, data: { goLive: settings.goLive, ...delay } }),
    ...EVENT_CATALOG.filter((event) => chosen.has(event.key) || enabled.has(event.key) !== event.defaultEnabled).map(
      (event) =>
        prisma.eventSetting.upsert({
          where: { shopId_eventKey: { shopId, eventKey: event.key } },
          create: { shopId, eventKey: event.key, enabled: enabled.has(event.key) },
          update: { enabled: enabled.has(event.key) },
        }),
    ),
  ]);
}

/**
 * Turns off, for this shop, the events the merchant has never chosen either way whose metric
 * Klaviyo's own Shopify integration already sends under the same name: two metrics with one name
 * confuse every flow and report. A choice the merchant made (a saved row) is never changed.
 * Returns the events it turned off.
 */
export async function keepShadowedEventsOff(shopId: string, eventKeys: EventKey[]): Promise<EventKey[]> {
  if (!eventKeys.length) return [];
  const chosen = new Set(
    (await prisma.eventSetting.findMany({ where: { shopId, eventKey: { in: eventKeys } } })).map((row) => row.eventKey),
  );
  const unchosen = eventKeys.filter((key) => !chosen.has(key));
  for (const eventKey of unchosen)
    await prisma.eventSetting.upsert({
      where: { shopId_eventKey: { shopId, eventKey } },
      create: { shopId, eventKey, enabled: false },
      update: {},
    });
  return unchosen;
}
