import type { Prisma, WebhookReceipt } from "@prisma/client";
import { prisma } from "../db.server";
import { databaseProvider } from "../db/adapter.server";
import { at, integer, join, queryRows, sql } from "../db/sql.server";
import { env } from "../env.server";
import { isComplianceTopic } from "../platform/webhook-topics";
import { notifyWork } from "../work-signal.server";
import { nextReceiptAttempt } from "./receipt-retry";

/**
 * The receipt queue is the WebhookReceipt table: each receipt moves between a few named states,
 * one statement a move. pending and waiting are due at nextAttemptAt (null: at once); a worker
 * claims due ones (processing), and each ends in exactly one of processed (outcome: the events
 * recorded), ignored (the reason), waiting (for what; tried again later) or failed (the error;
 * pending again on the merchant's Retry).
 */
export const RECEIPT_STATUS = {
  pending: "pending",
  processing: "processing",
  processed: "processed",
  ignored: "ignored",
  waiting: "waiting",
  failed: "failed",
} as const;

const DUE_STATUSES = [RECEIPT_STATUS.pending, RECEIPT_STATUS.waiting];
const MAX_ERROR_LENGTH = 2000;

/** Claims due receipts; returns their ids in the order they arrived, which is the order they are processed in. */
type ClaimStrategy = (topics: string[], limit: number, now: Date) => Promise<string[]>;

/**
 * PostgreSQL: any number of workers; a row another worker holds is skipped, not waited on.
 * Receipts of one millisecond come in their ids' order (time-ordered, see receipt-id.ts);
 * RETURNING keeps no order, so the claimed rows are ordered again as they come back.
 */
const claimWithSkipLocked: ClaimStrategy = async (topics, limit, now) => {
  const at = now.toISOString();
  const rows = await prisma.$queryRaw<Array<{ id: string }>>`
    WITH "claimed" AS (
      UPDATE "WebhookReceipt"
      SET "status" = ${RECEIPT_STATUS.processing}, "attempts" = "attempts" + 1,
          "claimedAt" = (${at}::timestamptz AT TIME ZONE 'UTC')
      WHERE "id" IN (
        SELECT "id" FROM "WebhookReceipt"
        WHERE "status" = ANY(${DUE_STATUSES}::text[]) AND "topic" = ANY(${topics}::text[])
          AND ("nextAttemptAt" IS NULL OR "nextAttemptAt" <= (${at}::timestamptz AT TIME ZONE 'UTC'))
        ORDER BY "receivedAt", "id"
        LIMIT ${limit}::int
        FOR UPDATE SKIP LOCKED
      )
      RETURNING "id", "receivedAt"
    )
    SELECT "id" FROM "claimed" ORDER BY "receivedAt", "id"`;
  return rows.map((row) => row.id);
};

/** SQLite: one writer at a time, so a compare-and-swap on each row's status is its claim. */
const claimWithCompareAndSwap: ClaimStrategy = async (topics, limit, now) => {
  // In the order they arrived: receipts stored within one millisecond come in their rowid's order.
  const due = await queryRows<{ id: string; status: string }>(sql`
    SELECT "id", "status" FROM "WebhookReceipt"
    WHERE "status" IN (${join(DUE_STATUSES)}) AND "topic" IN (${join(topics)})
      AND ("nextAttemptAt" IS NULL OR "nextAttemptAt" <= ${at(now)})
    ORDER BY "receivedAt", "rowid"
    LIMIT ${integer(limit)}`);
  const claimed: string[] = [];
  for (const { id, status } of due) {
    const { count } = await prisma.webhookReceipt.updateMany({
      where: { id, status },
      data: { status: RECEIPT_STATUS.processing, claimedAt: now, attempts: { increment: 1 } },
    });
    if (count === 1) claimed.push(id);
  }
  return claimed;
};

/** Claims up to `limit` due receipts of `topics`, oldest first; what comes back is this worker's alone. */
export async function claimDueReceipts(topics: string[], limit: number, now: Date): Promise<WebhookReceipt[]> {
  if (limit <= 0 || topics.length === 0) return [];
  const claim = databaseProvider(env.databaseUrl) === "postgresql" ? claimWithSkipLocked : claimWithCompareAndSwap;
  const ids = await claim(topics, limit, now);
  if (ids.length === 0) return [];
  const arrival = new Map(ids.map((id, position) => [id, position]));
  const receipts = await prisma.webhookReceipt.findMany({ where: { id: { in: ids } } });
  return receipts.sort((a, b) => arrival.get(a.id)! - arrival.get(b.id)!);
}

/** A worker killed mid-receipt leaves a claim behind; it is given back once its lease is over. */
export async function reclaimStaleReceipts(now: Date): Promise<number> {
  const { count } = await prisma.webhookReceipt.updateMany({
    where: { status: RECEIPT_STATUS.processing, claimedAt: { lt: new Date(now.getTime() - env.workerLeaseMs) } },
    data: { status: RECEIPT_STATUS.pending, claimedAt: null },
  });
  return count;
}

const settle = (receipt: WebhookReceipt, data: Prisma.WebhookReceiptUpdateManyMutationInput) =>
  prisma.webhookReceipt.updateMany({
    where: { id: receipt.id, status: RECEIPT_STATUS.processing },
    data: { claimedAt: null, ...data },
  });

/** Done: what it brought is recorded (`outcome` says what). */
export const markProcessed = (receipt: WebhookReceipt, outcome: string, now: Date) =>
  settle(receipt, {
    status: RECEIPT_STATUS.processed,
    outcome,
    processedAt: now,
    nextAttemptAt: null,
    lastError: null,
    // A privacy request names the customer; once answered, keep only the fact that it came.
    ...(isComplianceTopic(receipt.topic) ? { body: "{}" } : {}),
  });

/** Needs nothing done, on purpose: kept with the reason, never as processed. */
export const markIgnored = (receipt: WebhookReceipt, reason: string, now: Date) =>
  settle(receipt, {
    status: RECEIPT_STATUS.ignored,
    ignoredReason: reason,
    processedAt: now,
    nextAttemptAt: null,
    lastError: null,
  });

/**
 * Cannot finish until something outside answers (Shopify): tried again with backoff, and failed
 * once the retry window is over. Returns the state it was left in.
 */
export async function markWaiting(receipt: WebhookReceipt, waitingFor: string, detail: string, now: Date) {
  const next = nextReceiptAttempt(receipt, now);
  if (!next) {
    await settle(receipt, {
      status: RECEIPT_STATUS.failed,
      outcome: waitingFor,
      lastError: `Gave up ${waitingFor} after 4 hours: ${detail}`.slice(0, MAX_ERROR_LENGTH),
      nextAttemptAt: null,
    });
    return RECEIPT_STATUS.failed;
  }
  await settle(receipt, {
    status: RECEIPT_STATUS.waiting,
    outcome: waitingFor,
    lastError: detail.slice(0, MAX_ERROR_LENGTH),
    nextAttemptAt: next,
  });
  return RECEIPT_STATUS.waiting;
}

/** Processing threw: pending again with backoff while the window lasts, else failed. Returns the state. */
export async function markAttemptFailed(receipt: WebhookReceipt, error: string, now: Date) {
  const next = nextReceiptAttempt(receipt, now);
  await settle(receipt, {
    status: next ? RECEIPT_STATUS.pending : RECEIPT_STATUS.failed,
    lastError: error.slice(0, MAX_ERROR_LENGTH),
    nextAttemptAt: next,
  });
  return next ? RECEIPT_STATUS.pending : RECEIPT_STATUS.failed;
}

/**
 * The merchant's Retry: one of the shop's failed receipts goes back to the queue at once, for
 * one more try. False when the shop has no such failed receipt (another shop's id included).
 */
export async function retryFailedReceipt(shopId: string, receiptId: string): Promise<boolean> {
  const { count } = await prisma.webhookReceipt.updateMany({
    where: { id: receiptId, shopId, status: RECEIPT_STATUS.failed },
    data: { status: RECEIPT_STATUS.pending, nextAttemptAt: null, attempts: 0 },
  });
  if (count === 1) notifyWork("receipt");
  return count === 1;
}
