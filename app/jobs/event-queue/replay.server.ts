import { prisma } from "../../db.server";
import { EVENT_STATUS } from "../../tracking/event-status";
import { notifyWork } from "../../work-signal.server";
import { whereIn, type EventSelection } from "./selection";

/**
 * Sends dead-lettered events again, with their frozen payloads and unique_ids, so Klaviyo can
 * never record one twice. Only the shop's own events are touched; returns how many were queued.
 */
export async function replayDeadLetters(
  shopId: string,
  selection: EventSelection = {},
  now = new Date(),
): Promise<number> {
  const { count } = await prisma.trackingEvent.updateMany({
    where: whereIn(EVENT_STATUS.dead_lettered, { shopId, ...selection }),
    data: { status: EVENT_STATUS.queued, attempts: 0, nextAttemptAt: now, lastError: null },
  });
  if (count > 0) notifyWork("event");
  return count;
}
