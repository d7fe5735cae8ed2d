import { ownEntry } from "../own-entry";
import type { EventKey } from "./event-catalog";

/**
 * A shipment's milestones, each with the event it brings, and which milestones may follow
 * which, as carriers report them: label, in transit and out for delivery in that order; then
 * a delivery attempt (which may be followed by another attempt, delivered, or failure), or
 * ready for pickup (then picked up, which is delivered, or failure, when it goes back).
 * Nothing follows delivered. A failure can still end delivered (the carrier delivers after all).
 * A shipment only moves to a milestone that may follow the one it is at, so a late scan, or
 * another attempt, changes nothing and sends nothing: each milestone fires once per shipment.
 */
export const MILESTONES = [
  { milestone: "label_created", event: "order_shipped" },
  { milestone: "in_transit", event: "in_transit" },
  { milestone: "out_for_delivery", event: "out_for_delivery" },
  { milestone: "attempted_delivery", event: "attempted_delivery" },
  { milestone: "ready_for_pickup", event: "ready_for_pickup" },
  { milestone: "delivery_failed", event: "delivery_failed" },
  { milestone: "delivered", event: "delivered" },
] as const satisfies ReadonlyArray<{ milestone: string; event: EventKey }>;

export type Milestone = (typeof MILESTONES)[number]["milestone"];

const LAST_MILE: Milestone[] = ["attempted_delivery", "ready_for_pickup", "delivery_failed", "delivered"];

/** Every milestone that may come (directly or later) after each one: a strict partial order. */
export const MAY_FOLLOW: Readonly<Record<Milestone, readonly Milestone[]>> = {
  label_created: ["in_transit", "out_for_delivery", ...LAST_MILE],
  in_transit: ["out_for_delivery", ...LAST_MILE],
  out_for_delivery: LAST_MILE,
  attempted_delivery: ["delivery_failed", "delivered"],
  ready_for_pickup: ["delivery_failed", "delivered"],
  delivery_failed: ["delivered"],
  delivered: [],
};

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

export function eventForMilestone(milestone: Milestone): EventKey {
  return MILESTONES.find((entry) => entry.milestone === milestone)!.event;
}

/** The milestone a shipment is at after an observation: the observed one if it may follow, else where it was. */
export function advance(current: Milestone | null, observed: Milestone | undefined): Milestone | null {
  if (!observed) return current;
  if (!current) return observed;
  // A milestone stored by an older version and no longer known is left where it is.
  return Object.hasOwn(MAY_FOLLOW, current) && MAY_FOLLOW[current].includes(observed) ? observed : current;
}
