import { prisma } from "../../db.server";
import { EVENT_STATUS } from "../../tracking/event-status";
import { notifyWork } from "../../work-signal.server";
import { readyRowOf } from "./ready";
import { whereIn, type EventSelection } from "./selection";

/**
 * Sends dead-lettered events again, with their frozen payloads and unique_ids, so Klaviyo can
 * never record one twice: each is queued and takes its place in the ready queue, in one
 * transaction. Only the shop's own events are touched; returns how many were queued.
 */
export async function replayDeadLetters(
  shopId: string,
  selection: EventSelection = {},
  now = new Date(),
): Promise<number> {
  const count = await prisma.$transaction(async (tx) => {
    const replayed = await tx.trackingEvent.updateManyAndReturn({
      where: whereIn(EVENT_STATUS.dead_lettered, { shopId, ...selection }),
      data: { status: EVENT_STATUS.queued, attempts: 0, nextAttemptAt: now, lastError: null },
      select: { id: true, shopId: true, backfillId: true, nextAttemptAt: true },
    });
    await tx.deliveryReady.createMany({ data: replayed.map(readyRowOf) });
    return replayed.length;
  });
  if (count > 0) notifyWork("event");
  return count;
}
