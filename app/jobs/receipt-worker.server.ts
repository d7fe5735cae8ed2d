import type { WebhookReceipt } from "@prisma/client";
import { prisma } from "../db.server";
import { env } from "../env.server";
import { errorSummary, log } from "../log.server";
import { updateGrantedScopes } from "../platform/app-lifecycle.server";
import { answerDataRequest, redactShop, type CustomerRequest } from "../platform/compliance.server";
import { parseWebhookJson } from "../platform/webhook-json";
import { isComplianceTopic, TRACKING_TOPICS } from "../platform/webhook-topics";
import { eraseCustomer, uninstall } from "./offboarding.server";
import { ingestTrackingWebhook } from "./tracking-ingest.server";
import { startPollingWorker } from "./polling-worker.server";

type ReceiptHandler = (receipt: WebhookReceipt, payload: Record<string, any>) => Promise<unknown>;

const customerRequest = (receipt: WebhookReceipt, payload: Record<string, any>): CustomerRequest => ({
  shopDomain: receipt.shopDomain,
  customer: { id: payload.customer?.id, email: payload.customer?.email, phone: payload.customer?.phone },
  orderIds: ((payload.orders_to_redact ?? payload.orders_requested ?? []) as unknown[]).map(String),
});

// Topics the worker knows how to finish. Others stay pending until their stage exists.
const handlers: Record<string, ReceiptHandler> = {
  ...Object.fromEntries(TRACKING_TOPICS.map((topic) => [topic, ingestTrackingWebhook] as const)),
  "app/uninstalled": (receipt) => uninstall(receipt.shopDomain),
  "app/scopes_update": (receipt, payload) => updateGrantedScopes(receipt.shopDomain, payload.current ?? []),
  "customers/data_request": (receipt, payload) => answerDataRequest(customerRequest(receipt, payload)),
  "customers/redact": (receipt, payload) => eraseCustomer(customerRequest(receipt, payload)),
  "shop/redact": (receipt) => redactShop(receipt.shopDomain),
};

export const MAX_RECEIPT_ATTEMPTS = 5;
const RECEIPT_BATCH = 50;

/** Claims and finishes pending receipts; returns how many it finished. Safe to run in many processes. */
export async function processPendingReceipts({ limit = 50, now = new Date() } = {}): Promise<number> {
  // A worker killed mid-receipt leaves a claim behind; it is given back once its lease is over.
  await prisma.webhookReceipt.updateMany({
    where: { status: "processing", claimedAt: { lt: new Date(now.getTime() - env.workerLeaseMs) } },
    data: { status: "pending", claimedAt: null },
  });
  const candidates = await prisma.webhookReceipt.findMany({
    where: { status: "pending", topic: { in: Object.keys(handlers) } },
    orderBy: { receivedAt: "asc" },
    take: limit,
  });
  let finished = 0;
  for (const receipt of candidates) {
    const claimed = await prisma.webhookReceipt.updateMany({
      where: { id: receipt.id, status: "pending" },
      data: { status: "processing", claimedAt: now, attempts: { increment: 1 } },
    });
    if (claimed.count === 0) continue;
    if (await finishReceipt(receipt)) finished++;
    // SQLite calls finish without ever reaching the event loop's I/O phase; let waiting
    // webhook requests in between receipts, so accepting a webhook never waits on a batch.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return finished;
}

async function finishReceipt(receipt: WebhookReceipt): Promise<boolean> {
  try {
    await handlers[receipt.topic](receipt, parseWebhookJson(receipt.body) as Record<string, any>);
    await prisma.webhookReceipt.updateMany({
      where: { id: receipt.id },
      data: {
        status: "processed",
        processedAt: new Date(),
        claimedAt: null,
        lastError: null,
        // A privacy request names the customer; once answered, keep only the fact that it came.
        ...(isComplianceTopic(receipt.topic) ? { body: "{}" } : {}),
      },
    });
    return true;
  } catch (error) {
    const giveUp = receipt.attempts + 1 >= MAX_RECEIPT_ATTEMPTS;
    const message = errorSummary(error);
    await prisma.webhookReceipt.updateMany({
      where: { id: receipt.id },
      data: { status: giveUp ? "failed" : "pending", claimedAt: null, lastError: message.slice(0, 2000) },
    });
    log.error("webhook processing failed", { receiptId: receipt.id, topic: receipt.topic, error: message, giveUp });
    return false;
  }
}

/** Runs the receipt worker in this process: on every new receipt, and every `pollMs` regardless. */
export function startReceiptWorker({ pollMs = 2000 } = {}) {
  return startPollingWorker(
    "receipt",
    async () => {
      // A full batch means more may be waiting: go again at once rather than at the next poll.
      const finished = await processPendingReceipts({ limit: RECEIPT_BATCH });
      return { runAgainInMs: finished >= RECEIPT_BATCH ? 0 : undefined };
    },
    pollMs,
  );
}
