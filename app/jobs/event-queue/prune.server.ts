import { prisma } from "../../db.server";
import { FINISHED_STATUSES } from "../../tracking/event-status";

/**
 * Deletes up to `batch` finished events detected before `cutoff` (their attempts go with them),
 * only those filed under `orderId` when given (storefront events have a shorter retention); returns how many.
 */
export async function deleteFinishedBefore(cutoff: Date, batch: number, orderId?: string): Promise<number> {
  const rows = await prisma.trackingEvent.findMany({
    where: { status: { in: [...FINISHED_STATUSES] }, detectedAt: { lt: cutoff }, ...(orderId ? { orderId } : {}) },
    select: { id: true },
    take: batch,
  });
  return (await prisma.trackingEvent.deleteMany({ where: { id: { in: rows.map((row) => row.id) } } })).count;
}

/** Every event of these orders of the shop, for customers/redact: a statement, run in the redaction's transaction. */
export function eraseEventsOfOrders(shopId: string, orderIds: string[], customerEmails: string[] = []) {
  return prisma.trackingEvent.deleteMany({
    where: { shopId, OR: [{ orderId: { in: orderIds } }, { customerEmail: { in: customerEmails } }] },
  });
}
