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
 * Cancels events still waiting to be sent (events being sent right now finish). A statement, so
 * a caller can cancel in the same transaction as what caused it; awaiting it runs it alone.
 */
export function cancelQueued(scope: EventScope, reason: string) {
  return prisma.trackingEvent.updateMany({
    where: whereIn(EVENT_STATUS.queued, scope),
    data: { status: EVENT_STATUS.cancelled, skipReason: reason, nextAttemptAt: null },
  });
}
