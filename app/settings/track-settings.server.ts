import { prisma } from "../db.server";
import { EVENT_CATALOG, type EventKey } from "../tracking/event-catalog";

const EVENT_KEYS = new Set<string>(EVENT_CATALOG.map((event) => event.key));

export function isEventKey(key: string): key is EventKey {
  return EVENT_KEYS.has(key);
}

/** Go Live and one toggle per catalog event; events the merchant never touched keep their default. */
export async function trackSettingsFor(shopId: string) {
  const [shop, saved] = await Promise.all([
    prisma.shop.findUniqueOrThrow({ where: { id: shopId }, select: { goLive: true } }),
    prisma.eventSetting.findMany({ where: { shopId } }),
  ]);
  const savedByKey = new Map(saved.map((setting) => [setting.eventKey, setting.enabled]));
  return {
    goLive: shop.goLive,
    events: EVENT_CATALOG.map((event) => ({ ...event, enabled: savedByKey.get(event.key) ?? event.defaultEnabled })),
  };
}

export async function saveTrackSettings(shopId: string, settings: { goLive: boolean; enabledEvents: EventKey[] }) {
  const enabled = new Set<string>(settings.enabledEvents);
  await prisma.$transaction([
    prisma.shop.update({ where: { id: shopId }, data: { goLive: settings.goLive } }),
    ...EVENT_CATALOG.map((event) =>
      prisma.eventSetting.upsert({
        where: { shopId_eventKey: { shopId, eventKey: event.key } },
        create: { shopId, eventKey: event.key, enabled: enabled.has(event.key) },
        update: { enabled: enabled.has(event.key) },
      }),
    ),
  ]);
}
