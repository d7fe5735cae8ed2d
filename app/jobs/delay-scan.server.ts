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

/**
 * Waypost's own exception detection: shipments with no carrier scan for too long, or past
 * their estimated delivery, get Shipment Delayed once per reason (see tracking/delays.ts).
 * Returns how many new Shipment Delayed events it raised.
 */
export async function scanForDelays(now = new Date(), noScanDays = env.shipmentDelayDays): Promise<number> {
  const quietSince = new Date(now.getTime() - noScanDays * DAY_MS);
  const candidates = await prisma.trackedShipment.findMany({
    where: {
      milestone: { notIn: ["delivered", "delivery_failed", "ready_for_pickup"] },
      shop: { uninstalledAt: null },
      OR: [
        { estimatedDeliveryAt: { lt: now } },
        { lastCarrierUpdateAt: { lt: quietSince } },
        { lastCarrierUpdateAt: null, shippedAt: { lt: quietSince } },
      ],
    },
    include: { shop: { select: SHOP_IDENTITY } },
    take: 1000,
  });
  let raised = 0;
  for (const row of candidates) {
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
    const order = delay ? await knownOrder(row.shopId, row.orderId) : undefined;
    if (!delay || !order) continue;
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
    raised += (await recordFound(row.shop, [found], LIVE)).recorded;
  }
  return raised;
}
