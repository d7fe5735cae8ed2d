import { prisma } from "../../db.server";
import { EVENT_STATUS } from "../../tracking/event-status";
import { whereIn, type EventScope } from "./selection";

/** Why queued events were cancelled, in the merchant's words (shown in Activity). */
export const CANCEL_REASONS = {
  disconnected: "Klaviyo was disconnected before this event was sent",
  uninstalled: "The store uninstalled Waypost",
  byMerchant: "Cancelled by the merchant",
  importCancelled: "The import was cancelled before this event was sent",
  importStopped: (reason: string) => `The import stopped: ${reason}`,
} as const;

/**
 * Cancels events still waiting to be sent; events being sent right now (their ready row is under
 * a lease that has not run out) finish. Statements, so a caller can cancel in the same
 * transaction as what caused it: the events change, then their ready rows go.
 */
export function cancelQueuedStatements(scope: EventScope, reason: string, now = new Date()) {
  const shopId = typeof scope.shopId === "string" ? scope.shopId : { in: scope.shopId };
  return [
    prisma.trackingEvent.updateMany({
      where: {
        ...whereIn(EVENT_STATUS.queued, scope),
        ready: { is: { OR: [{ leaseOwner: null }, { dueAt: { lte: now } }] } },
      },
      data: { status: EVENT_STATUS.cancelled, skipReason: reason, nextAttemptAt: null },
    }),
    prisma.deliveryReady.deleteMany({ where: { shopId, event: { is: whereIn(EVENT_STATUS.cancelled, scope) } } }),
  ] as const;
}

/** Cancels events still waiting to be sent (see cancelQueuedStatements); returns how many. */
export async function cancelQueued(scope: EventScope, reason: string, now = new Date()): Promise<number> {
  const [cancelled] = await prisma.$transaction([...cancelQueuedStatements(scope, reason, now)]);
  return cancelled.count;
}
