import { randomUUID } from "node:crypto";
import type { PrismaClient } from "@prisma/client";
import type { DoubleAccount, DoubleState } from "../../app/demo/doubles/klaviyo/double-state";

/** A Klaviyo account at the double, with a private key Waypost can connect with. */
export function addDoubleAccount(state: DoubleState, id: string): DoubleAccount {
  const account = {
    id,
    name: `Klaviyo ${id}`,
    privateKeys: [`pk_${id.toLowerCase()}_${"0".repeat(26)}`],
    timezone: "UTC",
  };
  state.accounts.push(account);
  return account;
}

/** A valid Create Event body for the double, identified by its unique_id. */
export function eventBody(uniqueId: string, metric = "Delivered Shipment") {
  return {
    data: {
      type: "event",
      attributes: {
        unique_id: uniqueId,
        time: new Date().toISOString(),
        properties: { order_name: "#1001" },
        metric: { data: { type: "metric", attributes: { name: metric } } },
        profile: { data: { type: "profile", attributes: { email: "customer@example.com" } } },
      },
    },
  };
}

/**
 * Queues `count` live events for a shop straight into the history and the ready queue, ready
 * now, as the recorder would. Unique keys are `<prefix>-<n>`.
 */
export async function queueEvents(
  prisma: PrismaClient,
  shopId: string,
  prefix: string,
  count: number,
  readyAt = new Date(),
) {
  const rows = Array.from({ length: count }, (_, index) => ({
    id: randomUUID(),
    shopId,
    uniqueKey: `${prefix}-${index}`,
    eventKey: "delivered",
    orderId: String(index),
    orderName: `#${index}`,
    status: "queued",
    payload: JSON.stringify(eventBody(`${prefix}-${index}`)),
    detectedAt: readyAt,
    occurredAt: readyAt,
    nextAttemptAt: readyAt,
  }));
  for (let start = 0; start < rows.length; start += 500) {
    const slice = rows.slice(start, start + 500);
    await prisma.$transaction([
      prisma.trackingEvent.createMany({ data: slice }),
      prisma.deliveryReady.createMany({
        data: slice.map((row) => ({ eventId: row.id, shopId, queue: "live", dueAt: readyAt })),
      }),
    ]);
  }
}

/** How many times the double recorded each unique_id, and the ids recorded more than once. */
export function recordedByUniqueId(state: DoubleState) {
  const counts = new Map<string, number>();
  for (const event of state.events) counts.set(event.uniqueId ?? "", (counts.get(event.uniqueId ?? "") ?? 0) + 1);
  return { counts, duplicates: [...counts.entries()].filter(([, count]) => count > 1).map(([id]) => id) };
}
