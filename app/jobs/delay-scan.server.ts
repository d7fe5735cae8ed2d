import type { Prisma, TrackedShipment } from "@prisma/client";
import { prisma } from "../db.server";
import { env } from "../env.server";
import { SHOP_IDENTITY } from "../shops/shop-identity";
import { DAY_MS } from "../time";
import { uniqueKeyFor } from "../tracking/detect";
import { detectDelay } from "../tracking/delays";
import type { NormalizedShipment } from "../tracking/normalize";
import type { Milestone } from "../tracking/shipment-milestones";
import { knownOrder } from "../tracking/tracking-store.server";
import { LIVE, recordFound } from "./event-outbox.server";

// Shipments read a query at most; the scan walks all candidates in id order, a batch at a time.
const SCAN_BATCH = 500;

/**
 * Waypost's own exception detection: shipments with no carrier scan for too long, or past
 * their estimated delivery, get Shipment Delayed once per reason (see tracking/delays.ts).
 * Walks every candidate with a cursor, so however many stale shipments there are (lost parcels,
 * carriers that never scan "delivered"), a new delay is raised in the first scan after it
 * happens; a shipment already raised for the delay it has now is passed over. "Too long" is the
 * shop's own threshold (Track Settings), else `defaultNoScanDays`: the query takes the shortest
 * any shop has, and each shipment is judged by its shop's. Returns how many new Shipment
 * Delayed events it raised.
 */
export async function scanForDelays(now = new Date(), defaultNoScanDays = env.shipmentDelayDays): Promise<number> {
  const { _min } = await prisma.shop.aggregate({
    where: { uninstalledAt: null },
    _min: { shipmentDelayDays: true },
  });
  const shortest = Math.min(defaultNoScanDays, _min.shipmentDelayDays ?? defaultNoScanDays);
  const quietSince = new Date(now.getTime() - shortest * DAY_MS);
  let raised = 0;
  for (let after = ""; ;) {
    const batch = await prisma.trackedShipment.findMany({
      where: {
        id: { gt: after },
        milestone: { notIn: ["delivered", "delivery_failed", "ready_for_pickup"] },
        shop: { uninstalledAt: null },
        OR: [
          { estimatedDeliveryAt: { lt: now } },
          { lastCarrierUpdateAt: { lt: quietSince } },
          { lastCarrierUpdateAt: null, shippedAt: { lt: quietSince } },
        ],
      },
      include: { shop: { select: { ...SHOP_IDENTITY, shipmentDelayDays: true } } },
      orderBy: { id: "asc" },
      take: SCAN_BATCH,
    });
    for (const row of batch) raised += await raiseIfDelayed(row, now, row.shop.shipmentDelayDays ?? defaultNoScanDays);
    if (batch.length < SCAN_BATCH) return raised;
    after = batch[batch.length - 1].id;
  }
}

type Candidate = TrackedShipment & {
  shop: Prisma.ShopGetPayload<{ select: typeof SHOP_IDENTITY }> & { shipmentDelayDays: number | null };
};

/** Records Shipment Delayed for a shipment late for a reason not raised yet, and marks it raised. */
async function raiseIfDelayed(row: Candidate, now: Date, noScanDays: number): Promise<number> {
  const delay = detectDelay(
    {
      milestone: row.milestone as Milestone | null,
      shippedAt: row.shippedAt,
      lastCarrierUpdateAt: row.lastCarrierUpdateAt,
      estimatedDeliveryAt: row.estimatedDeliveryAt,
    },
    now,
    noScanDays,
  );
  if (!delay || row.delayRaisedFor === delay.scope) return 0;
  const order = await knownOrder(row.shopId, row.orderId);
  if (!order) return 0;
  const detection = {
    eventKey: "shipment_delayed",
    uniqueKey: uniqueKeyFor(row.shop.domain, row.orderId, `${row.fulfillmentId}:${delay.scope}`, "shipment_delayed"),
    orderId: row.orderId,
    fulfillmentId: row.fulfillmentId,
    lineItemId: null,
    happenedAt: now.toISOString(),
  } as const;
  const shipment = JSON.parse(row.snapshot) as NormalizedShipment;
  const found = { detection, order, shipment, status: "delayed", extraProperties: { delay_reason: delay.reason } };
  const { recorded } = await recordFound(row.shop, [found], LIVE);
  await prisma.trackedShipment.update({ where: { id: row.id }, data: { delayRaisedFor: delay.scope } });
  return recorded;
}
