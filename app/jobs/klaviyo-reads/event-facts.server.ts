import type { Shop } from "@prisma/client";
import { eventKlaviyoFacts, klaviyoWebLinks, type EventKlaviyoFacts } from "../../klaviyo/account-metrics";
import { klaviyoConnectionOf } from "../../klaviyo/connection-store.server";
import { klaviyoWebOrigin } from "../../klaviyo/klaviyo-config.server";
import { keepShadowedEventsOff } from "../../settings/track-settings.server";
import { EVENT_CATALOG, type EventKey } from "../../tracking/event-catalog";
import { accountMetrics } from "./account-metrics.server";

export interface KlaviyoFactsView {
  /** Klaviyo could be asked (connected, and it answered now or earlier). */
  available: boolean;
  error: string | null;
  fetchedAt: string | null;
  flowBuilderUrl: string;
  byEvent: Partial<Record<EventKey, EventKlaviyoFacts>>;
  /** Events Waypost just turned off because Klaviyo's Shopify integration has their metric. */
  turnedOff: EventKey[];
}

/**
 * What Track Settings shows beside each toggle, from the shop's Klaviyo account: the flows each
 * event's metric triggers (with links), whether the metric exists yet, and a same-name metric of
 * Klaviyo's own Shopify integration, whose Waypost twin is kept off unless the merchant chose it.
 * Runs before the settings are read, so a toggle it turned off shows off.
 */
export async function eventKlaviyoFactsFor(
  shop: Shop,
  { refresh = false }: { refresh?: boolean } = {},
): Promise<KlaviyoFactsView> {
  const links = klaviyoWebLinks(klaviyoWebOrigin());
  const none = { flowBuilderUrl: links.flowBuilder, byEvent: {}, turnedOff: [], fetchedAt: null };
  const connection = await klaviyoConnectionOf(shop.id);
  if (!connection || connection.status !== "connected") return { ...none, available: false, error: null };

  const { metrics, fetchedAt, error } = await accountMetrics(connection, { refresh });
  if (!metrics) return { ...none, available: false, error };
  const byEvent = Object.fromEntries(
    EVENT_CATALOG.map((event) => [event.key, eventKlaviyoFacts(event.metric, metrics, links)]),
  ) as Record<EventKey, EventKlaviyoFacts>;
  const shadowed = EVENT_CATALOG.filter((event) => byEvent[event.key].shopifyMetricId).map((event) => event.key);
  const turnedOff = await keepShadowedEventsOff(shop.id, shadowed);
  return {
    available: true,
    error,
    fetchedAt: fetchedAt?.toISOString() ?? null,
    flowBuilderUrl: links.flowBuilder,
    byEvent,
    turnedOff,
  };
}
