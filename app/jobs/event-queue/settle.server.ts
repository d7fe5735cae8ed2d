import { prisma } from "../../db.server";
import { EVENT_STATUS } from "../../tracking/event-status";
import type { Decision } from "../retry-policy";
import { chunks } from "./chunks";

/** What becomes of a claimed event once its send is over. */
export type Settlement =
  | { to: typeof EVENT_STATUS.sent; attempts: number }
  | { to: typeof EVENT_STATUS.queued; nextAttemptAt: Date; attempts?: number; lastError?: string }
  | { to: typeof EVENT_STATUS.dead_lettered; attempts: number; lastError: string };

function columnsOf(settlement: Settlement) {
  switch (settlement.to) {
    case EVENT_STATUS.sent:
      return {
        status: EVENT_STATUS.sent,
        sentAt: new Date(),
        attempts: settlement.attempts,
        lastError: null,
        nextAttemptAt: null,
      };
    case EVENT_STATUS.queued:
      return {
        status: EVENT_STATUS.queued,
        nextAttemptAt: settlement.nextAttemptAt,
        ...(settlement.attempts === undefined ? {} : { attempts: settlement.attempts }),
        ...(settlement.lastError === undefined ? {} : { lastError: settlement.lastError }),
      };
    case EVENT_STATUS.dead_lettered:
      return {
        status: EVENT_STATUS.dead_lettered,
        attempts: settlement.attempts,
        nextAttemptAt: null,
        lastError: settlement.lastError,
      };
  }
}

/**
 * Records what became of claimed events, for those this worker still holds; returns how many.
 * An event it no longer holds had its lease expire and was taken over: that result stands.
 */
export async function settleClaimed(eventIds: string[], owner: string, settlement: Settlement): Promise<number> {
  let settled = 0;
  for (const ids of chunks(eventIds)) {
    const { count } = await prisma.trackingEvent.updateMany({
      where: { id: { in: ids }, status: EVENT_STATUS.sending, leaseOwner: owner },
      data: { leaseOwner: null, leaseExpiresAt: null, ...columnsOf(settlement) },
    });
    settled += count;
  }
  return settled;
}

/** What a send's decision (see retry-policy.ts) makes of the events it carried. */
export function settlementFor(decision: Decision, now: Date): Settlement {
  switch (decision.kind) {
    case "sent":
      return { to: EVENT_STATUS.sent, attempts: decision.attempts };
    case "wait_for_lane":
      return {
        to: EVENT_STATUS.queued,
        nextAttemptAt: new Date(now.getTime() + decision.pauseMs),
        lastError: decision.detail,
      };
    case "refresh_then_hold":
      // Held, not claimed while the connection needs a reconnect; they go out after it.
      return { to: EVENT_STATUS.queued, nextAttemptAt: now, lastError: decision.detail };
    case "retry":
      return {
        to: EVENT_STATUS.queued,
        attempts: decision.attempts,
        nextAttemptAt: new Date(now.getTime() + decision.afterMs),
        lastError: decision.detail,
      };
    case "dead_letter":
      return {
        to: EVENT_STATUS.dead_lettered,
        attempts: decision.attempts,
        lastError: decision.refused ? `Klaviyo refused the event: ${decision.detail}` : decision.detail,
      };
  }
}
