import { prisma } from "../db.server";
import { notifyWork } from "../work-signal.server";

/** Which of a shop's events an operation applies to: some by id, one event type, or all. */
export interface EventSelection {
  eventIds?: string[];
  eventKey?: string;
}

const selected = (shopId: string, status: string | { in: string[] }, { eventIds, eventKey }: EventSelection) => ({
  shopId,
  status,
  ...(eventIds ? { id: { in: eventIds } } : {}),
  ...(eventKey ? { eventKey } : {}),
});

/**
 * Sends dead-lettered events again, with their frozen payloads and unique_ids, so Klaviyo can
 * never record one twice. Only the shop's own events are touched; returns how many were queued.
 */
export async function replayDeadLetters(shopId: string, selection: EventSelection = {}, now = new Date()): Promise<number> {
  const { count } = await prisma.trackingEvent.updateMany({
    where: selected(shopId, "dead_lettered", selection),
    data: { status: "queued", attempts: 0, nextAttemptAt: now, lastError: null },
  });
  if (count > 0) notifyWork("event");
  return count;
}

/** Cancels events still waiting to be sent (events being sent right now finish). */
export async function cancelPendingEvents(shopId: string, selection: EventSelection = {}, reason = "Cancelled by the merchant"): Promise<number> {
  const { count } = await prisma.trackingEvent.updateMany({
    where: selected(shopId, "queued", selection),
    data: { status: "cancelled", skipReason: reason, nextAttemptAt: null },
  });
  return count;
}
