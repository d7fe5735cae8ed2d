import { prisma } from "../../db.server";
import { EVENT_STATUS } from "../../tracking/event-status";

/** Counts stop here: the health endpoint is public and probed often, so it reads at most this many rows a count. */
export const DEPTH_COUNT_CAP = 10_000;

/**
 * How much work waits, for the health endpoint and operators: each figure from one bounded index
 * range (a count of more than `cap` reads as the cap, `capped` says which did).
 */
export async function queueDepth(now = new Date(), cap = DEPTH_COUNT_CAP) {
  const take = cap;
  const [ready, scheduled, sending, deadLettered, oldestReady] = await Promise.all([
    prisma.deliveryReady.count({ where: { dueAt: { lte: now } }, take }),
    prisma.deliveryReady.count({ where: { dueAt: { gt: now }, leaseOwner: null }, take }),
    prisma.deliveryReady.count({ where: { dueAt: { gt: now }, leaseOwner: { not: null } }, take }),
    prisma.trackingEvent.count({ where: { status: EVENT_STATUS.dead_lettered }, take }),
    prisma.deliveryReady.findFirst({
      where: { dueAt: { lte: now } },
      orderBy: { dueAt: "asc" },
      select: { dueAt: true },
    }),
  ]);
  const counts = { ready, scheduled, sending, deadLettered };
  const oldestReadyAgeSeconds = oldestReady
    ? Math.max(0, Math.round((now.getTime() - oldestReady.dueAt.getTime()) / 1000))
    : 0;
  return {
    ...counts,
    capped: Object.entries(counts).flatMap(([name, count]) => (count >= cap ? [name] : [])),
    oldestReadyAgeSeconds,
  };
}
