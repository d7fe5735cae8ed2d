import { describe, expect, it } from "vitest";
import { detectDelay, localDate, type ShipmentTimeline } from "./delays";

const now = new Date("2026-11-24T12:00:00Z");
const daysAgo = (days: number) => new Date(now.getTime() - days * 24 * 60 * 60_000);
const shipment = (overrides: Partial<ShipmentTimeline> = {}): ShipmentTimeline => ({
  milestone: "in_transit",
  shippedAt: daysAgo(2),
  lastCarrierUpdateAt: daysAgo(1),
  estimatedDeliveryAt: new Date("2026-11-26T00:00:00Z"),
  ...overrides,
});

describe("detectDelay", () => {
  it("leaves a shipment on schedule alone", () => {
    expect(detectDelay(shipment(), now, 4)).toBeNull();
  });

  it("flags a shipment past its estimated delivery, keyed by that estimate", () => {
    expect(detectDelay(shipment({ estimatedDeliveryAt: new Date("2026-11-23T18:00:00Z") }), now, 4)).toEqual({
      scope: "eta-2026-11-23",
      reason: "past_estimated_delivery",
    });
  });

  it("flags again, under a new key, when a new estimate also passes", () => {
    const first = detectDelay(shipment({ estimatedDeliveryAt: new Date("2026-11-22T18:00:00Z") }), now, 4);
    const second = detectDelay(shipment({ estimatedDeliveryAt: new Date("2026-11-23T18:00:00Z") }), now, 4);
    expect(first?.scope).not.toBe(second?.scope);
  });

  it("flags a shipment with no carrier scan for the configured days, once", () => {
    const quiet = shipment({ lastCarrierUpdateAt: daysAgo(5), estimatedDeliveryAt: null });
    expect(detectDelay(quiet, now, 4)).toEqual({ scope: "no-scan", reason: "no_carrier_scan" });
    expect(detectDelay(quiet, now, 6)).toBeNull();
  });

  it("counts from shipping when the carrier never scanned at all", () => {
    expect(
      detectDelay(shipment({ lastCarrierUpdateAt: null, shippedAt: daysAgo(4), estimatedDeliveryAt: null }), now, 4)
        ?.scope,
    ).toBe("no-scan");
  });

  it("runs the clock from the platform's times, so a parcel with neither is never called quiet", () => {
    const unknown = shipment({ lastCarrierUpdateAt: null, shippedAt: null, estimatedDeliveryAt: null });
    expect(detectDelay(unknown, now, 4)).toBeNull();
    // Fulfilled 3 days ago (however late Waypost heard of it): not quiet yet at 4 days.
    expect(detectDelay({ ...unknown, shippedAt: daysAgo(3) }, now, 4)).toBeNull();
  });

  it("never calls a delivered, failed or waiting-for-pickup parcel late", () => {
    for (const milestone of ["delivered", "delivery_failed", "ready_for_pickup"] as const) {
      expect(
        detectDelay(shipment({ milestone, estimatedDeliveryAt: daysAgo(3), lastCarrierUpdateAt: daysAgo(9) }), now, 4),
      ).toBeNull();
    }
  });
});

describe("localDate", () => {
  it("shows the customer the date in the store's time zone", () => {
    expect(localDate("2026-11-25T03:00:00Z", "America/Los_Angeles")).toBe("Tuesday, November 24");
    expect(localDate("2026-11-25T03:00:00Z", "Europe/Berlin")).toBe("Wednesday, November 25");
  });

  it("falls back to UTC for an unknown zone, and to nothing for no date", () => {
    expect(localDate("2026-11-25T03:00:00Z", "Mars/Olympus")).toBe("Wednesday, November 25");
    expect(localDate(null, "UTC")).toBeNull();
  });
});
