import { prisma } from "../db.server";

/** The shop's most recent events and what became of each, for the Activity page. */
export async function recentTrackingEvents(shopId: string, limit = 50) {
  return prisma.trackingEvent.findMany({
    where: { shopId },
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

