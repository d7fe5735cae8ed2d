import { prisma } from "../db.server";
import { DAY_MS } from "../time";
import type { EventStatus } from "./event-status";


/** The shop's most recent events and what became of each, for the Activity page. */
export async function recentTrackingEvents(shopId: string, { status, order, limit = 50 }: { status?: EventStatus; order?: string; limit?: number } = {}) {
  return prisma.trackingEvent.findMany({
    where: {
      shopId,
      ...(status ? { status } : {}),
      ...(order ? { OR: [{ orderName: { contains: order } }, { orderId: order }] } : {}),
    },
    orderBy: [{ detectedAt: "desc" }, { id: "desc" }],
    take: limit,
    select: {
      id: true,
      eventKey: true,
      orderName: true,
      fulfillmentId: true,
      status: true,
      skipReason: true,
      lastError: true,
      attempts: true,
      detectedAt: true,
      sentAt: true,
    },
  });
}


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
