/**
 * The ready queue's two kinds of range (see DeliveryReady in prisma/schema.prisma): a shop's live
 * events, and each import's own. Pure.
 */
export const LIVE_QUEUE = "live";

/** The queue an event waits in: live, or its import's. */
export const queueOf = (backfillId: string | null | undefined) => backfillId ?? LIVE_QUEUE;

/** The ready row of a newly queued event: due when the event's first attempt is. */
export const readyRowOf = (event: {
  id: string;
  shopId: string;
  backfillId?: string | null;
  nextAttemptAt?: Date | string | null;
}) => ({
  eventId: event.id,
  shopId: event.shopId,
  queue: queueOf(event.backfillId),
  dueAt: event.nextAttemptAt ? new Date(event.nextAttemptAt) : new Date(),
});
