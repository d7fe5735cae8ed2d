import { prisma } from "../db.server";
import { env } from "../env.server";
import { DAY_MS } from "../time";
import { PIXEL_BATCH_TOPIC } from "../platform/pixel-ingest.server";
import { deleteFinishedBefore } from "./event-queue/prune.server";
import { STOREFRONT_ORDER_ID } from "./storefront-recorder.server";

const BATCH = 2000;

/**
 * Forgets what no one needs any more: finished events (with their attempts) and handled webhooks
 * older than the retention window, and rate lanes idle for a day. Dead letters stay until the
 * merchant replays them. Deletes in small batches so live work never waits long on a lock.
 */
export async function pruneHistory(
  now = new Date(),
  retentionDays = env.historyRetentionDays,
  storefrontRetentionDays = env.storefrontRetentionDays,
) {
  const cutoff = new Date(now.getTime() - retentionDays * DAY_MS);
  // Storefront activity comes in far greater numbers than orders, and is worth less once old.
  const storefrontCutoff = new Date(now.getTime() - Math.min(storefrontRetentionDays, retentionDays) * DAY_MS);
  const events =
    (await deleteInBatches(() => deleteFinishedBefore(storefrontCutoff, BATCH, STOREFRONT_ORDER_ID))) +
    (await deleteInBatches(() => deleteFinishedBefore(cutoff, BATCH)));
  const handledBefore = (before: Date, topic?: string) => async () => {
    const rows = await prisma.webhookReceipt.findMany({
      where: { status: { in: ["processed", "ignored"] }, receivedAt: { lt: before }, ...(topic ? { topic } : {}) },
      select: { id: true },
      take: BATCH,
    });
    return (await prisma.webhookReceipt.deleteMany({ where: { id: { in: rows.map((row) => row.id) } } })).count;
  };
  const webhooks =
    (await deleteInBatches(handledBefore(storefrontCutoff, PIXEL_BATCH_TOPIC))) +
    (await deleteInBatches(handledBefore(cutoff)));
  const lanes = (
    await prisma.deliveryLane.deleteMany({ where: { refilledAt: { lt: new Date(now.getTime() - DAY_MS) } } })
  ).count;
  return { events, webhooks, lanes };
}

async function deleteInBatches(deleteBatch: () => Promise<number>): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = await deleteBatch();
    total += deleted;
    if (deleted < BATCH) return total;
  }
}
