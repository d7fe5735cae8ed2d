import { prisma } from "../../db.server";
import { EVENT_STATUS, type EventStatus } from "../../tracking/event-status";
import { progressOf, type BackfillProgress } from "./progress";

/** The shop's latest import and how far it got, for the progress bar. */
export async function latestBackfill(shopId: string, now = new Date()): Promise<BackfillProgress | null> {
  const backfill = await prisma.backfill.findFirst({ where: { shopId }, orderBy: { startedAt: "desc" } });
  if (!backfill) return null;
  const counts = await prisma.trackingEvent.groupBy({
    by: ["status"],
    where: { shopId, backfillId: backfill.id },
    _count: { _all: true },
  });
  const count = (status: EventStatus) => counts.find((row) => row.status === status)?._count._all ?? 0;
  const eventsSent = count(EVENT_STATUS.sent);
  const eventsFailed = count(EVENT_STATUS.dead_lettered);
  // Found means found to send: the skipped are counted apart.
  const eventsFound = counts.reduce((total, row) => total + row._count._all, 0) - count(EVENT_STATUS.skipped);
  return {
    id: backfill.id,
    status: backfill.status,
    windowDays: backfill.windowDays,
    triggerFlows: backfill.triggerFlows,
    ordersTotal: backfill.ordersTotal,
    ordersRead: backfill.ordersRead,
    eventsFound,
    eventsSent,
    eventsFailed,
    // The import's skipped rows, which Activity lists (imports before they were recorded kept only a count).
    eventsSkipped: count(EVENT_STATUS.skipped) || backfill.eventsSkipped,
    ...progressOf(backfill, { eventsFound, eventsSettled: eventsFound - count(EVENT_STATUS.queued) }, now),
    error: backfill.error,
    startedAt: backfill.startedAt.toISOString(),
    finishedAt: backfill.finishedAt?.toISOString() ?? null,
  };
}
