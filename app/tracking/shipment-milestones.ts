import { ownEntry } from "../own-entry";
import type { EventKey } from "./event-catalog";

/**
 * A shipment's life as an ordered list. A shipment only moves forward: a late "in transit"
 * after "delivered" changes nothing and sends nothing.
 */
export const MILESTONES = [
  { milestone: "label_created", rank: 1, event: "order_shipped" },
  { milestone: "in_transit", rank: 2, event: "in_transit" },
  { milestone: "out_for_delivery", rank: 3, event: "out_for_delivery" },
  { milestone: "attempted_delivery", rank: 4, event: "attempted_delivery" },
  { milestone: "ready_for_pickup", rank: 4, event: "ready_for_pickup" },
  // A failed delivery can still end delivered (the carrier tries again); nothing follows delivered.
  { milestone: "delivery_failed", rank: 4, event: "delivery_failed" },
  { milestone: "delivered", rank: 5, event: "delivered" },
] as const satisfies ReadonlyArray<{ milestone: string; rank: number; event: EventKey }>;

export type Milestone = (typeof MILESTONES)[number]["milestone"];

/** Shopify's shipment_status and fulfillment event statuses, mapped to milestones. */
const SHOPIFY_STATUS_TO_MILESTONE: Record<string, Milestone> = {
  label_printed: "label_created",
  label_purchased: "label_created",
  confirmed: "label_created",
  carrier_picked_up: "in_transit",
  in_transit: "in_transit",
  out_for_delivery: "out_for_delivery",
  attempted_delivery: "attempted_delivery",
  ready_for_pickup: "ready_for_pickup",
  picked_up: "delivered",
  delivered: "delivered",
  failure: "delivery_failed",
};

export function milestoneForShopifyStatus(status: string | null | undefined): Milestone | undefined {
  return ownEntry(SHOPIFY_STATUS_TO_MILESTONE, status);
}

export function rankOf(milestone: Milestone | null | undefined): number {
  return MILESTONES.find((entry) => entry.milestone === milestone)?.rank ?? 0;
}

export function eventForMilestone(milestone: Milestone): EventKey {
  return MILESTONES.find((entry) => entry.milestone === milestone)!.event;
}

/** The milestone a shipment is at after an observation: the later of the two, never earlier. */
export function advance(current: Milestone | null, observed: Milestone | undefined): Milestone | null {
  if (!observed) return current;
  return rankOf(observed) > rankOf(current) ? observed : current;
}
