import type { Shop } from "@prisma/client";
import { prisma } from "../../db.server";
import { dailyCountsOf, eventKlaviyoFacts, klaviyoWebLinks, metricCountsQuery } from "../../klaviyo/account-metrics";
import { klaviyoConnectionOf } from "../../klaviyo/connection-store.server";
import { klaviyoWebOrigin } from "../../klaviyo/klaviyo-config.server";
import { compareDailyCounts } from "../../klaviyo/receipt-comparison";
import { trackSettingsFor } from "../../settings/track-settings.server";
import { EVENT_STATUS } from "../../tracking/event-status";
import { calendarDaysUntil, deliveredCountsByDay } from "../../tracking/tracking-events.server";
import { accountMetrics } from "./account-metrics.server";
import { cachedRead, readInLane, storeRead } from "./read-in-lane.server";
import type { ReceiptCheck } from "./receipt-check-view";

const DAYS = 7;
// Klaviyo's counts are read when the merchant asks (3/s, 60/min per account); an answer is kept for a day.
const COUNTS_MAX_AGE_MS = 24 * 3600_000;

interface StoredCounts {
  days: string[];
  counts: Record<string, number>;
}

/**
 * Klaviyo confirms receipt: for each enabled event whose metric Klaviyo has, its daily counts
 * at Klaviyo (Query Metric Aggregates, by day in the store's IANA time zone) beside Waypost's
 * sent counts as of the same moment, for the last 7 days. Klaviyo is asked only when the
 * merchant asks (`refresh`); otherwise the answers kept from the last time are shown.
 */
export async function klaviyoReceiptCheck(
  shop: Shop,
  { refresh = false }: { refresh?: boolean } = {},
): Promise<ReceiptCheck> {
  const days = calendarDaysUntil(new Date(), shop.timezone, DAYS);
  const result: ReceiptCheck = { connected: false, days, events: [], notInKlaviyo: [], error: null };
  const connection = await klaviyoConnectionOf(shop.id);
  if (!connection || connection.status !== "connected") return result;
  result.connected = true;

  const [{ metrics, error }, settings] = await Promise.all([
    accountMetrics(connection, { refresh, keptOnly: !refresh }),
    trackSettingsFor(shop.id),
  ]);
  result.error = error;
  if (!metrics) return result;
  const links = klaviyoWebLinks(klaviyoWebOrigin());
  const lastSent = await prisma.trackingEvent.findFirst({
    where: { shopId: shop.id, status: EVENT_STATUS.sent },
    orderBy: { sentAt: "desc" },
    select: { sentAt: true },
  });

  // Counts read in one refresh are seconds apart: Waypost's side is counted once for them all.
  const counted = new Map<string, ReturnType<typeof deliveredCountsByDay>>();
  const waypostCounts = (countDays: string[], asOf: Date) => {
    const key = `${countDays[0]}:${Math.floor(asOf.getTime() / 60_000)}`;
    if (!counted.has(key)) counted.set(key, deliveredCountsByDay(shop.id, shop.timezone, countDays, asOf));
    return counted.get(key)!;
  };

  for (const event of settings.events.filter((candidate) => candidate.enabled)) {
    const metricId = eventKlaviyoFacts(event.metric, metrics, links).metricId;
    if (!metricId) {
      result.notInKlaviyo.push(event.metric);
      continue;
    }
    const key = `${connection.accountId}:counts:${metricId}:${shop.timezone}`;
    let kept = await cachedRead<StoredCounts>(key, COUNTS_MAX_AGE_MS);
    if (refresh) {
      const read = await readInLane(connection, "aggregates", (klaviyo) =>
        klaviyo.queryMetricAggregates(metricCountsQuery(metricId, days, shop.timezone)),
      );
      if (read.ok) {
        const fetchedAt = new Date();
        const data = { days, counts: dailyCountsOf(read.data) };
        await storeRead(key, data, fetchedAt);
        kept = { data, fetchedAt, fresh: true };
      } else result.error ??= read.message;
    }
    if (!kept) continue;
    const waypost = await waypostCounts(kept.data.days, kept.fetchedAt);
    result.events.push({
      eventKey: event.key,
      metric: event.metric,
      fetchedAt: kept.fetchedAt.toISOString(),
      ...compareDailyCounts({
        days: kept.data.days,
        waypost: waypost[event.key] ?? {},
        klaviyo: kept.data.counts,
        lastSentAt: lastSent?.sentAt,
        fetchedAt: kept.fetchedAt,
      }),
    });
  }
  return result;
}
