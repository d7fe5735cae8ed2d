import { prisma } from "../db.server";
import { DAY_MS, nextCalendarDay, previousCalendarDay, startOfDayIn } from "../time";
import { EVENT_SOURCE } from "./event-source";
import { EVENT_STATUS } from "./event-status";

/** One event of the shop with its frozen payload and every attempt; undefined for any other id. */
export async function trackingEventDetail(shopId: string, eventId: string) {
  const event = await prisma.trackingEvent.findFirst({
    where: { id: eventId, shopId },
    include: { attemptLog: { orderBy: { attemptedAt: "asc" } } },
  });
  return event ?? undefined;
}

/**
 * Live events that happened on the store over a window (by occurredAt, so imported history and
 * tests are not counted as today's), by status and by event, for the Dashboard. `since` is the
 * window's start: Activity's `since` filter with it lists exactly the rows counted.
 */
export async function eventCounts(shopId: string, days: number, now = new Date()) {
  const since = new Date(now.getTime() - days * DAY_MS);
  const groups = await prisma.trackingEvent.groupBy({
    by: ["eventKey", "status"],
    where: { shopId, source: EVENT_SOURCE.live, occurredAt: { gte: since } },
    _count: { _all: true },
  });
  const byStatus: Record<string, number> = {};
  const byEvent: Record<string, Record<string, number>> = {};
  for (const group of groups) {
    byStatus[group.status] = (byStatus[group.status] ?? 0) + group._count._all;
    byEvent[group.eventKey] = { ...byEvent[group.eventKey], [group.status]: group._count._all };
  }
  return { since: since.toISOString(), byStatus, byEvent };
}

/** The window the Dashboard's failure banner looks at. */
export const FAILING_WINDOW_MS = 60 * 60_000;
/** Deliveries are failing when at least this many of the window's live events failed, and this share of them. */
export const FAILING_AT_LEAST = { events: 3, share: 0.2 } as const;

/**
 * How the last hour's live events are faring: how many there are (skipped and cancelled ones
 * aside, as nothing was sent for them) and how many could not be delivered so far: dead-lettered,
 * or waiting for a retry after a failed attempt. `failing` says whether that crosses
 * FAILING_AT_LEAST.
 */
export async function recentDeliveryHealth(shopId: string, now = new Date()) {
  const since = new Date(now.getTime() - FAILING_WINDOW_MS);
  const rows = await prisma.trackingEvent.groupBy({
    by: ["status"],
    where: {
      shopId,
      source: EVENT_SOURCE.live,
      occurredAt: { gte: since },
      status: { in: [EVENT_STATUS.sent, EVENT_STATUS.queued, EVENT_STATUS.dead_lettered] },
    },
    _count: { _all: true },
  });
  const retrying = await prisma.trackingEvent.count({
    where: {
      shopId,
      source: EVENT_SOURCE.live,
      occurredAt: { gte: since },
      status: EVENT_STATUS.queued,
      attempts: { gt: 0 },
    },
  });
  const attempted = rows.reduce((total, row) => total + row._count._all, 0);
  const deadLettered = rows.find((row) => row.status === EVENT_STATUS.dead_lettered)?._count._all ?? 0;
  const failed = deadLettered + retrying;
  return {
    since: since.toISOString(),
    attempted,
    failed,
    failing: failed >= FAILING_AT_LEAST.events && failed >= attempted * FAILING_AT_LEAST.share,
  };
}

/**
 * Live events per calendar day of the shop (its time zone), by status, for the last `days` days
 * including today: the dashboard's delivery-health chart. One indexed range count per day.
 */
export async function dailyEventCounts(shopId: string, timeZone: string, days = 7, now = new Date()) {
  return Promise.all(
    calendarDaysUntil(now, timeZone, days).map(async (day) => {
      const groups = await prisma.trackingEvent.groupBy({
        by: ["status"],
        where: {
          shopId,
          source: EVENT_SOURCE.live,
          occurredAt: { gte: startOfDayIn(day, timeZone)!, lt: startOfDayIn(nextCalendarDay(day), timeZone)! },
        },
        _count: { _all: true },
      });
      return {
        day,
        byStatus: Object.fromEntries(groups.map((group) => [group.status, group._count._all])) as Record<
          string,
          number
        >,
      };
    }),
  );
}

/** Calendar days of the shop ending today (its time zone), oldest first. */
export function calendarDaysUntil(now: Date, timeZone: string, days: number): string[] {
  const today = new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(now);
  const calendar = [today];
  while (calendar.length < days) calendar.unshift(previousCalendarDay(calendar[0]));
  return calendar;
}

/**
 * Events sent to Klaviyo (by `asOf`) and still queued, per event and calendar day of the shop,
 * counted on the day Klaviyo files them: when they happened (the body's `time`), or when sent if
 * they carry no time. An event is detected after it happens, so one detected before the first
 * day cannot count: each day is one range of the (shopId, status, detectedAt) index.
 */
export async function deliveredCountsByDay(shopId: string, timeZone: string, days: string[], asOf: Date) {
  const windowStart = startOfDayIn(days[0], timeZone)!;
  const counts: Record<string, Record<string, { sent: number; pending: number }>> = {};
  await Promise.all(
    days.map(async (day) => {
      const range = { gte: startOfDayIn(day, timeZone)!, lt: startOfDayIn(nextCalendarDay(day), timeZone)! };
      const groups = await prisma.trackingEvent.groupBy({
        by: ["eventKey", "status"],
        where: {
          shopId,
          detectedAt: { gte: windowStart, lte: asOf },
          OR: [
            { status: EVENT_STATUS.sent, sentAt: { lte: asOf }, happenedAt: range },
            { status: EVENT_STATUS.sent, happenedAt: null, sentAt: { ...range, lte: asOf } },
            { status: EVENT_STATUS.queued, OR: [{ happenedAt: range }, { happenedAt: null, detectedAt: range }] },
          ],
        },
        _count: { _all: true },
      });
      for (const group of groups) {
        const entry = ((counts[group.eventKey] ??= {})[day] ??= { sent: 0, pending: 0 });
        if (group.status === EVENT_STATUS.sent) entry.sent += group._count._all;
        else entry.pending += group._count._all;
      }
    }),
  );
  return counts;
}
