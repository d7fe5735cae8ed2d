import { prisma } from "../db.server";
import { DAY_MS } from "../time";
import { PIXEL_BATCH_TOPIC } from "./pixel-ingest.server";

// Storefront pixel batches are receipts too, but not the store's updates: these views leave them out.
const STORE_UPDATES = { not: PIXEL_BATCH_TOPIC };

/** What the shop's webhooks did over the last day, for the dashboard. */
export async function webhookStatsForLastDay(shopId: string, now = new Date()) {
  const groups = await prisma.webhookReceipt.groupBy({
    by: ["status"],
    where: { shopId, topic: STORE_UPDATES, receivedAt: { gte: new Date(now.getTime() - DAY_MS) } },
    _count: { _all: true },
  });
  const byStatus = Object.fromEntries(groups.map((group) => [group.status, group._count._all]));
  const total = groups.reduce((sum, group) => sum + group._count._all, 0);
  return { total, byStatus };
}

/**
 * The shop's latest receipts as Activity shows them: each one's state and, in the merchant's
 * words, why (what it recorded, why it was ignored, what it waits for, or the error).
 */
export async function recentWebhooks(shopId: string, limit = 25) {
  const receipts = await prisma.webhookReceipt.findMany({
    where: { shopId, topic: STORE_UPDATES },
    orderBy: { receivedAt: "desc" },
    take: limit,
    select: {
      id: true,
      topic: true,
      orderId: true,
      receivedAt: true,
      status: true,
      ignoredReason: true,
      outcome: true,
      lastError: true,
      nextAttemptAt: true,
    },
  });
  return receipts.map(({ ignoredReason, outcome, lastError, ...receipt }) => ({
    ...receipt,
    reason: receiptReason(receipt.status, { ignoredReason, outcome, lastError }),
  }));
}

function receiptReason(
  status: string,
  {
    ignoredReason,
    outcome,
    lastError,
  }: { ignoredReason: string | null; outcome: string | null; lastError: string | null },
): string | null {
  switch (status) {
    case "processed":
      return outcome;
    case "ignored":
      return ignoredReason;
    case "waiting":
      return [outcome, lastError].filter(Boolean).join(": ") || null;
    default:
      // A pending receipt with an error is being retried after a failure; a failed one is over.
      return lastError;
  }
}
