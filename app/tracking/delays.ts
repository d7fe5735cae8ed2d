import type { Milestone } from "./shipment-milestones";

import { DAY_MS } from "../time";

// A parcel at one of these is not late: it arrived, failed for good, or waits for its owner.
const SETTLED: ReadonlyArray<Milestone | null> = ["delivered", "delivery_failed", "ready_for_pickup"];

export interface ShipmentTimeline {
  milestone: Milestone | null;
  /** The platform's fulfillment time; null when only carrier scans are known. */
  shippedAt: Date | null;
  lastCarrierUpdateAt: Date | null;
  estimatedDeliveryAt: Date | null;
}

/**
 * Whether Waypost should call a shipment delayed, and under which scope. The scope is part of
 * the event's unique key: "no-scan" fires once; a missed ETA fires once per ETA, so a new
 * estimate that also passes raises Shipment Delayed again.
 */
export function detectDelay(
  shipment: ShipmentTimeline,
  now: Date,
  noScanDays: number,
): { scope: string; reason: string } | null {
  if (SETTLED.includes(shipment.milestone)) return null;
  if (shipment.estimatedDeliveryAt && shipment.estimatedDeliveryAt < now) {
    return {
      scope: `eta-${shipment.estimatedDeliveryAt.toISOString().slice(0, 10)}`,
      reason: "past_estimated_delivery",
    };
  }
  // The clock runs from the platform's own times: the last scan, else when it was fulfilled.
  const lastSign = shipment.lastCarrierUpdateAt ?? shipment.shippedAt;
  if (lastSign && now.getTime() - lastSign.getTime() >= noScanDays * DAY_MS)
    return { scope: "no-scan", reason: "no_carrier_scan" };
  return null;
}

/** A date as the customer reads it, in the store's time zone (e.g. "Tuesday, November 24"). */
export function localDate(iso: string | null, timeZone: string): string | null {
  if (!iso) return null;
  try {
    return new Intl.DateTimeFormat("en-US", { weekday: "long", month: "long", day: "numeric", timeZone }).format(
      new Date(iso),
    );
  } catch {
    return new Intl.DateTimeFormat("en-US", { weekday: "long", month: "long", day: "numeric", timeZone: "UTC" }).format(
      new Date(iso),
    );
  }
}
