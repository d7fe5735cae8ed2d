import { prisma } from "../db.server";
import type { NormalizedOrder, NormalizedShipment } from "./normalize";
import type { Milestone } from "./shipment-milestones";

/** Keeps the newest snapshot of an order and returns it: an older webhook never wins. */
export async function rememberOrder(shopId: string, order: NormalizedOrder): Promise<NormalizedOrder> {
  const snapshotAt = new Date(order.updatedAt ?? order.createdAt ?? 0);
  const existing = await prisma.trackedOrder.findUnique({ where: { shopId_orderId: { shopId, orderId: order.id } } });
  if (existing && existing.snapshotAt > snapshotAt) return JSON.parse(existing.snapshot) as NormalizedOrder;
  const snapshot = JSON.stringify(order);
  await prisma.trackedOrder.upsert({
    where: { shopId_orderId: { shopId, orderId: order.id } },
    create: { shopId, orderId: order.id, snapshot, snapshotAt },
    update: { snapshot, snapshotAt },
  });
  return order;
}

export async function knownOrder(shopId: string, orderId: string): Promise<NormalizedOrder | undefined> {
  const row = await prisma.trackedOrder.findUnique({ where: { shopId_orderId: { shopId, orderId } } });
  return row ? (JSON.parse(row.snapshot) as NormalizedOrder) : undefined;
}

export async function knownShipment(shopId: string, fulfillmentId: string) {
  const row = await prisma.trackedShipment.findUnique({ where: { shopId_fulfillmentId: { shopId, fulfillmentId } } });
  return row
    ? { milestone: row.milestone as Milestone | null, shipment: JSON.parse(row.snapshot) as NormalizedShipment }
    : undefined;
}

export async function rememberShipment(
  shopId: string,
  shipment: NormalizedShipment,
  milestone: Milestone | null,
  { carrierUpdateAt = null, customerIdentity, deliveredAt }: { carrierUpdateAt?: string | null; customerIdentity?: string; deliveredAt?: string | null } = {},
) {
  const data = {
    orderId: shipment.orderId,
    milestone,
    ...(customerIdentity ? { customerIdentity } : {}),
    ...(deliveredAt ? { deliveredAt: new Date(deliveredAt) } : {}),
    snapshot: JSON.stringify(shipment),
    estimatedDeliveryAt: shipment.estimatedDeliveryAt ? new Date(shipment.estimatedDeliveryAt) : null,
    ...(carrierUpdateAt ? { lastCarrierUpdateAt: new Date(carrierUpdateAt) } : {}),
  };
  await prisma.trackedShipment.upsert({
    where: { shopId_fulfillmentId: { shopId, fulfillmentId: shipment.fulfillmentId } },
    create: { shopId, fulfillmentId: shipment.fulfillmentId, ...data },
    update: data,
  });
}

/** Every shipment of one customer in a shop: the basis of their delivery stats. */
export async function shipmentsOfCustomer(shopId: string, customerIdentity: string) {
  const rows = await prisma.trackedShipment.findMany({
    where: { shopId, customerIdentity, milestone: { not: null } },
    select: { orderId: true, createdAt: true, deliveredAt: true },
  });
  return rows.map((row) => ({ orderId: row.orderId, shippedAt: row.createdAt, deliveredAt: row.deliveredAt }));
}
