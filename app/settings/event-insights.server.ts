import { EVENT_CATALOG } from "../tracking/event-catalog";
import { eventCounts } from "../tracking/tracking-events.server";

export interface EventInsight {
  sent: number;
  skipped: number;
  failed: number;
}

/**
 * What Track Settings shows beside each event's toggle: its live events of the last 7 days, the
 * Dashboard's counts (by when they happened). `since` opens the counted rows in Activity. The
 * Klaviyo body each event sends is klaviyo/sample-event's eventPreviews.
 */
export async function eventInsightsFor(shopId: string, now = new Date()) {
  const lastWeek = await eventCounts(shopId, 7, now);
  const events = Object.fromEntries(
    EVENT_CATALOG.map((event) => {
      const counts = lastWeek.byEvent[event.key] ?? {};
      const insight: EventInsight = {
        sent: counts.sent ?? 0,
        skipped: counts.skipped ?? 0,
        failed: counts.dead_lettered ?? 0,
      };
      return [event.key, insight];
    }),
  );
  return { since: lastWeek.since, events };
}
