import { prisma } from "../../db.server";
import type { KlaviyoOutcome } from "../../klaviyo/outcome";
import { attemptOutcome, type Decision } from "../retry-policy";

/**
 * Every attempt is on record, for each event it carried: when, Klaviyo's status, what that
 * meant, how long it took, Klaviyo's error and its request id.
 */
export function recordAttempts(eventIds: string[], outcome: KlaviyoOutcome<unknown>, decision: Decision, now: Date) {
  return prisma.deliveryAttempt.createMany({
    data: eventIds.map((trackingEventId) => ({
      trackingEventId,
      attemptedAt: now,
      httpStatus: outcome.status,
      outcome: attemptOutcome(decision),
      latencyMs: outcome.latencyMs ?? 0,
      detail: outcome.ok ? null : outcome.detail.slice(0, 2000),
      requestId: outcome.requestId ?? null,
    })),
  });
}
