import { prisma } from "../db.server";
import { isUniqueViolation } from "../db/errors";
import { customerIdentity, type KnownContact } from "./contact";
import type { NormalizedOrder, NormalizedShipment } from "./normalize";
import type { Milestone } from "./shipment-milestones";

/** Keeps the newest snapshot of an order and returns it: an older webhook never wins. */
export async function rememberOrder(shopId: string, order: NormalizedOrder): Promise<NormalizedOrder> {
  const snapshotAt = new Date(order.updatedAt ?? order.createdAt ?? 0);
  const existing = await prisma.trackedOrder.findUnique({ where: { shopId_orderId: { shopId, orderId: order.id } } });
  if (existing && existing.snapshotAt > snapshotAt) return JSON.parse(existing.snapshot) as NormalizedOrder;
  const snapshot = JSON.stringify(order);
  const customer = {
    customerIdentity: customerIdentity(order.contact) ?? null,
    placedAt: order.createdAt ? new Date(order.createdAt) : null,
  };
  await prisma.trackedOrder.upsert({
    where: { shopId_orderId: { shopId, orderId: order.id } },
    create: { shopId, orderId: order.id, snapshot, snapshotAt, ...customer },
    update: { snapshot, snapshotAt, ...customer },
  });
  return order;
}

/**
 * Each of these customers' (by identity) most recently placed order: what their latest known
 * name is read from. One row per customer, from the (shop, customer, placed, snapshot) index,
 * however many orders they have (reading them all made each order cost more than the last: a
 * customer with 9,000 orders cost 28 ms a receipt); an order with no placed time only when they
 * have none with one.
 */
export async function latestKnownContacts(shopId: string, identities: string[]): Promise<Map<string, KnownContact>> {
  const latest = new Map<string, KnownContact>();
  await Promise.all(
    [...new Set(identities)].map(async (identity) => {
      const row =
        (await newestOrderOf(shopId, identity, { not: null })) ?? (await newestOrderOf(shopId, identity, null));
      if (!row) return;
      const order = JSON.parse(row.snapshot) as NormalizedOrder;
      latest.set(identity, { contact: order.contact, knownAt: row.placedAt });
    }),
  );
  return latest;
}

const newestOrderOf = (shopId: string, customerIdentity: string, placedAt: null | { not: null }) =>
  prisma.trackedOrder.findFirst({
    where: { shopId, customerIdentity, placedAt },
    orderBy: [{ placedAt: "desc" }, { snapshotAt: "desc" }],
    select: { snapshot: true, placedAt: true },
  });

/** Shopify finished routing the order's fulfillment (the first time is kept). */
export async function rememberRouted(shopId: string, orderId: string, at: Date): Promise<void> {
  await prisma.trackedOrder.updateMany({ where: { shopId, orderId, routedAt: null }, data: { routedAt: at } });
}

export async function wasRouted(shopId: string, orderId: string): Promise<boolean> {
  const row = await prisma.trackedOrder.findUnique({
    where: { shopId_orderId: { shopId, orderId } },
    select: { routedAt: true },
  });
  return Boolean(row?.routedAt);
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

/**
 * Saves a shipment's new state only if its milestone is still the one it was read at
 * (compare-and-swap), so two workers handling scans of one parcel can never move it back.
 * Returns false when another worker got there first; the caller reads again and retries.
 */
export async function rememberShipment(
  shopId: string,
  shipment: NormalizedShipment,
  milestone: Milestone | null,
  {
    readMilestone,
    carrierUpdateAt = null,
    customerIdentity,
    deliveredAt,
  }: {
    readMilestone: Milestone | null | undefined;
    carrierUpdateAt?: string | null;
    customerIdentity?: string;
    deliveredAt?: string | null;
  },
): Promise<boolean> {
  const data = {
    orderId: shipment.orderId,
    milestone,
    snapshot: JSON.stringify(shipment),
    estimatedDeliveryAt: shipment.estimatedDeliveryAt ? new Date(shipment.estimatedDeliveryAt) : null,
    ...(shipment.shippedAt ? { shippedAt: new Date(shipment.shippedAt) } : {}),
    ...(carrierUpdateAt ? { lastCarrierUpdateAt: new Date(carrierUpdateAt) } : {}),
    ...(customerIdentity ? { customerIdentity } : {}),
    ...(deliveredAt ? { deliveredAt: new Date(deliveredAt) } : {}),
  };
  if (readMilestone === undefined) {
    try {
      await prisma.trackedShipment.create({ data: { shopId, fulfillmentId: shipment.fulfillmentId, ...data } });
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }
  const { count } = await prisma.trackedShipment.updateMany({
    where: { shopId, fulfillmentId: shipment.fulfillmentId, milestone: readMilestone },
    data,
  });
  return count === 1;
}

/** Every shipment of one customer in a shop: the basis of their delivery stats. */
export async function shipmentsOfCustomer(shopId: string, customerIdentity: string) {
  const rows = await prisma.trackedShipment.findMany({
    where: { shopId, customerIdentity, milestone: { not: null } },
    select: { orderId: true, shippedAt: true, deliveredAt: true },
  });
  return rows;
}

/** The customer's orders and shipments, for customers/redact: statements, run in the redaction's transaction. */
export function forgetCustomerTracking(shopId: string, orderIds: string[], identities: string[]) {
  return [
    prisma.trackedShipment.deleteMany({
      where: { shopId, OR: [{ orderId: { in: orderIds } }, { customerIdentity: { in: identities } }] },
    }),
    // An order's snapshot names its customer; an order Shopify did not list is found by that.
    prisma.trackedOrder.deleteMany({
      where: {
        shopId,
        OR: [{ orderId: { in: orderIds } }, ...identities.map((identity) => ({ snapshot: { contains: identity } }))],
      },
    }),
  ];
}
