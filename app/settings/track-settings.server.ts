import { prisma } from "../db.server";
import { env } from "../env.server";
import { EVENT_CATALOG, type EventKey } from "../tracking/event-catalog";

const EVENT_KEYS = new Set<string>(EVENT_CATALOG.map((event) => event.key));

export function isEventKey(key: string): key is EventKey {
  return EVENT_KEYS.has(key);
}

/** The days without a carrier scan a merchant may choose before a shipment counts as delayed. */
export const SHIPMENT_DELAY_DAYS = { min: 1, max: 30 } as const;

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

export async function saveTrackSettings(
  shopId: string,
  settings: { goLive: boolean; enabledEvents: EventKey[]; shipmentDelayDays?: number },
) {
  const enabled = new Set<string>(settings.enabledEvents);
  // The default is kept as no choice of the shop's, so it follows SHIPMENT_DELAY_DAYS.
  const delay =
    settings.shipmentDelayDays === undefined
      ? {}
      : { shipmentDelayDays: settings.shipmentDelayDays === env.shipmentDelayDays ? null : settings.shipmentDelayDays };
  await prisma.$transaction([
    prisma.shop.update({ where: { id: shopId }, data: { goLive: settings.goLive, ...delay } }),
    ...EVENT_CATALOG.map((event) =>
      prisma.eventSetting.upsert({
        where: { shopId_eventKey: { shopId, eventKey: event.key } },
        create: { shopId, eventKey: event.key, enabled: enabled.has(event.key) },
        update: { enabled: enabled.has(event.key) },
      }),
    ),
  ]);
}
