import type { EventStatus } from "../../tracking/event-status";

/** Which of a shop's events an operation applies to: some by id, one event type, or all. */
export interface EventSelection {
  eventIds?: string[];
  eventKey?: string;
}

/** A shop's events in one state (of one import, when `backfillId` is given), narrowed by `selection`. */
export interface EventScope extends EventSelection {
  shopId: string | string[];
  backfillId?: string;
}

export const whereIn = (status: EventStatus, { shopId, backfillId, eventIds, eventKey }: EventScope) => ({
  shopId: typeof shopId === "string" ? shopId : { in: shopId },
  status,
  ...(backfillId === undefined ? {} : { backfillId }),
  ...(eventIds ? { id: { in: eventIds } } : {}),
  ...(eventKey ? { eventKey } : {}),
});
