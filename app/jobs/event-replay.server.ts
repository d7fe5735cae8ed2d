import { prisma } from "../db.server";
import { notifyWork } from "./work-signal.server";

/**
 * Sends a failed event again, with its frozen payload and unique_id, so Klaviyo can never
 * record it twice. Only the shop's own failed events can be replayed; returns whether it was.
 */
export async function replayFailedEvent(shopId: string, eventId: string): Promise<boolean> {
  const { count } = await prisma.trackingEvent.updateMany({
    where: { id: eventId, shopId, status: "failed" },
    data: { status: "queued", attempts: 0, nextAttemptAt: null },
  });
  if (count === 1) notifyWork("event");
  return count === 1;
}
