import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  advance,
  eventForMilestone,
  MAY_FOLLOW,
  MILESTONES,
  milestoneForShopifyStatus,
  type Milestone,
} from "./shipment-milestones";

/** Runs scans through advance() in arrival order: the milestones that fired, and where the shipment ends. */
function replay(scans: Milestone[], start: Milestone | null = null) {
  let current = start;
  const fired: Milestone[] = [];
  for (const scan of scans) {
    const next = advance(current, scan);
    if (next !== current && next) fired.push(next);
    current = next;
  }
  return { fired, final: current };
}

// Carriers' real sequences, as the issue lists them (an attempt may repeat).
const REAL_SEQUENCES: Milestone[][] = [
  ["label_created", "in_transit", "out_for_delivery", "delivered"],
  ["label_created", "in_transit", "out_for_delivery", "attempted_delivery", "delivered"],
  ["label_created", "in_transit", "out_for_delivery", "attempted_delivery", "attempted_delivery", "delivered"],
  ["label_created", "in_transit", "out_for_delivery", "attempted_delivery", "delivery_failed"],
  [
    "label_created",
    "in_transit",
    "out_for_delivery",
    "attempted_delivery",
    "attempted_delivery",
    "attempted_delivery",
    "delivery_failed",
  ],
  ["label_created", "in_transit", "ready_for_pickup", "delivered"],
  ["label_created", "in_transit", "ready_for_pickup", "delivery_failed"],
  ["in_transit", "out_for_delivery", "delivery_failed"],
  ["label_created", "delivered"],
];

describe("shipment milestones", () => {
  it.each([
    ["label_printed", "label_created"],
    ["label_purchased", "label_created"],
    ["confirmed", "label_created"],
    ["carrier_picked_up", "in_transit"],
    ["in_transit", "in_transit"],
    ["out_for_delivery", "out_for_delivery"],
    ["attempted_delivery", "attempted_delivery"],
    ["ready_for_pickup", "ready_for_pickup"],
    ["picked_up", "delivered"],
    ["delivered", "delivered"],
    ["failure", "delivery_failed"],
  ])("reads Shopify's %s as %s", (status, milestone) => {
    expect(milestoneForShopifyStatus(status)).toBe(milestone);
  });

  it("ignores statuses that say nothing about where the parcel is", () => {
    expect(milestoneForShopifyStatus(null)).toBeUndefined();
    expect(milestoneForShopifyStatus("something_new")).toBeUndefined();
    expect(milestoneForShopifyStatus("constructor")).toBeUndefined();
    expect(milestoneForShopifyStatus("__proto__")).toBeUndefined();
  });

  it("never regresses a delivered shipment to in transit", () => {
    expect(advance("delivered", "in_transit")).toBe("delivered");
    expect(advance("out_for_delivery", "label_created")).toBe("out_for_delivery");
  });

  it("moves forward, skipping milestones the carrier never reported", () => {
    expect(advance(null, "label_created")).toBe("label_created");
    expect(advance("label_created", "delivered")).toBe("delivered");
    expect(advance("in_transit", undefined)).toBe("in_transit");
  });

  it("after an attempt: another attempt changes nothing; delivered or failure follow", () => {
    expect(advance("attempted_delivery", "attempted_delivery")).toBe("attempted_delivery");
    expect(advance("attempted_delivery", "delivery_failed")).toBe("delivery_failed");
    expect(advance("attempted_delivery", "delivered")).toBe("delivered");
    expect(advance("attempted_delivery", "out_for_delivery")).toBe("attempted_delivery");
  });

  it("after ready for pickup: picked up (delivered) or failure (returned) follow", () => {
    expect(advance("ready_for_pickup", "delivered")).toBe("delivered");
    expect(advance("ready_for_pickup", "delivery_failed")).toBe("delivery_failed");
    expect(advance("ready_for_pickup", "in_transit")).toBe("ready_for_pickup");
  });

  it("lets a failed delivery still end delivered, but nothing follows delivered", () => {
    expect(advance("delivery_failed", "delivered")).toBe("delivered");
    expect(advance("delivery_failed", "attempted_delivery")).toBe("delivery_failed");
    expect(advance("delivery_failed", "in_transit")).toBe("delivery_failed");
    for (const { milestone } of MILESTONES) expect(advance("delivered", milestone)).toBe("delivered");
  });

  it("leaves a milestone it no longer knows where it is", () => {
    expect(advance("lost_in_space" as Milestone, "delivered")).toBe("lost_in_space");
  });

  it("orders milestones strictly: none may follow itself, and none both follows and precedes another", () => {
    for (const [from, later] of Object.entries(MAY_FOLLOW) as Array<[Milestone, readonly Milestone[]]>) {
      expect(later).not.toContain(from);
      for (const next of later) {
        expect(MAY_FOLLOW[next]).not.toContain(from);
        // Transitive: what may follow the next may follow this one too.
        for (const after of MAY_FOLLOW[next]) expect(later).toContain(after);
      }
    }
  });

  it.each(REAL_SEQUENCES.map((sequence) => [sequence.join(" → "), sequence]))(
    "in order, %s fires each of its milestones once",
    (_, sequence) => {
      const { fired, final } = replay(sequence as Milestone[]);
      expect(fired).toEqual([...new Set(sequence)]);
      expect(final).toBe(sequence.at(-1));
    },
  );

  it("in any arrival order, a real sequence fires each milestone at most once and ends where it really ended", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...REAL_SEQUENCES),
        fc.integer({ min: 0, max: 3 }),
        fc.infiniteStream(fc.double({ min: 0, max: 1, noNaN: true })),
        (sequence, duplicates, randomness) => {
          // Shopify retries webhooks: some scans arrive more than once.
          const arrivals = [...sequence, ...sequence.slice(0, duplicates)];
          const keys = arrivals.map(() => randomness.next().value);
          const shuffled = arrivals.map((scan, index) => ({ scan, key: keys[index] })).sort((a, b) => a.key - b.key);
          const { fired, final } = replay(shuffled.map(({ scan }) => scan));
          expect(new Set(fired).size).toBe(fired.length);
          expect(fired.every((milestone) => sequence.includes(milestone))).toBe(true);
          expect(final).toBe(sequence.at(-1));
          // Nothing fires after delivered.
          const deliveredAt = fired.indexOf("delivered");
          if (deliveredAt >= 0) expect(deliveredAt).toBe(fired.length - 1);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("Delivery Failed fires after Attempted Delivery, whichever arrives first", () => {
    expect(replay(["attempted_delivery", "delivery_failed"]).fired).toEqual(["attempted_delivery", "delivery_failed"]);
    expect(replay(["delivery_failed", "attempted_delivery"]).fired).toEqual(["delivery_failed"]);
  });

  it("names the Klaviyo event for each milestone", () => {
    expect(MILESTONES.map(({ milestone }) => eventForMilestone(milestone))).toEqual([
      "order_shipped",
      "in_transit",
      "out_for_delivery",
      "attempted_delivery",
      "ready_for_pickup",
      "delivery_failed",
      "delivered",
    ]);
  });
});
