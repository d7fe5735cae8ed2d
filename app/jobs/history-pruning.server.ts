import { prisma } from "../db.server";
import { env } from "../env.server";
import { DAY_MS } from "../time";
import { deleteFinishedBefore } from "./event-queue/prune.server";

const BATCH = 2000;

/**
 * Forgets what no one needs any more: finished events (with their attempts) and handled webhooks
 * older than the retention window, and rate lanes idle for a day. Dead letters stay until the
 * merchant replays them. Deletes in small batches so live work never waits long on a lock.
 */
export async function pruneHistory(now = new Date(), retentionDays = env.historyRetentionDays) {
  const cutoff = new Date(now.getTime() - retentionDays * DAY_MS);
  const events = await deleteInBatches(() => deleteFinishedBefore(cutoff, BATCH));
  const webhooks = await deleteInBatches(async () => {
    const rows = await prisma.webhookReceipt.findMany({
      where: { status: { in: ["processed", "ignored"] }, receivedAt: { lt: cutoff } },
      select: { id: true },
      take: BATCH,
    });
    return (await prisma.webhookReceipt.deleteMany({ where: { id: { in: rows.map((row) => row.id) } } })).count;
  });
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
