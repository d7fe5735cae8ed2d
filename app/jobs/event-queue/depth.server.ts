import { prisma } from "../../db.server";
import { EVENT_STATUS } from "../../tracking/event-status";

/** How much work waits, for the health endpoint and operators. */
export async function queueDepth(now = new Date()) {
  const ready = { status: EVENT_STATUS.queued, nextAttemptAt: { lte: now } };
  const [readyCount, scheduled, sending, deadLettered, oldestReady] = await Promise.all([
    prisma.trackingEvent.count({ where: ready }),
    prisma.trackingEvent.count({ where: { status: EVENT_STATUS.queued, nextAttemptAt: { gt: now } } }),
    prisma.trackingEvent.count({ where: { status: EVENT_STATUS.sending } }),
    prisma.trackingEvent.count({ where: { status: EVENT_STATUS.dead_lettered } }),
    prisma.trackingEvent.findFirst({
      where: ready,
      orderBy: { nextAttemptAt: "asc" },
      select: { nextAttemptAt: true },
    }),
  ]);
  const oldestReadyAgeSeconds = oldestReady?.nextAttemptAt
    ? Math.max(0, Math.round((now.getTime() - oldestReady.nextAttemptAt.getTime()) / 1000))
    : 0;
  return { ready: readyCount, scheduled, sending, deadLettered, oldestReadyAgeSeconds };
}
