import { prisma } from "../db.server";
import { DAY_MS, nextCalendarDay, previousCalendarDay, startOfDayIn } from "../time";

/** One event of the shop with its frozen payload and every attempt; undefined for any other id. */
export async function trackingEventDetail(shopId: string, eventId: string) {
  const event = await prisma.trackingEvent.findFirst({
    where: { id: eventId, shopId },
    include: { attemptLog: { orderBy: { attemptedAt: "asc" } } },
  });
  return event ?? undefined;
}

/** Events detected over a window, counted by status and by event, for the dashboard. */
export async function eventCounts(shopId: string, days: number, now = new Date()) {
  const groups = await prisma.trackingEvent.groupBy({
    by: ["eventKey", "status"],
    where: { shopId, detectedAt: { gte: new Date(now.getTime() - days * DAY_MS) } },
    _count: { _all: true },
  });
  const byStatus: Record<string, number> = {};
  const byEvent: Record<string, Record<string, number>> = {};
  for (const group of groups) {
    byStatus[group.status] = (byStatus[group.status] ?? 0) + group._count._all;
    byEvent[group.eventKey] = { ...byEvent[group.eventKey], [group.status]: group._count._all };
  }
  return { byStatus, byEvent };
}

/**
 * Events per calendar day of the shop (its time zone), by status, for the last `days` days
 * including today: the dashboard's delivery-health chart. One indexed range count per day.
 */
export async function dailyEventCounts(shopId: string, timeZone: string, days = 7, now = new Date()) {
  const today = new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(now);
  const calendar = [today];
  while (calendar.length < days) calendar.unshift(previousCalendarDay(calendar[0]));
  return Promise.all(
    calendar.map(async (day) => {
      const groups = await prisma.trackingEvent.groupBy({
        by: ["status"],
        where: {
          shopId,
          detectedAt: { gte: startOfDayIn(day, timeZone)!, lt: startOfDayIn(nextCalendarDay(day), timeZone)! },
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
