-- AlterTable
ALTER TABLE "WebhookReceipt" ADD COLUMN "nextAttemptAt" DATETIME;
ALTER TABLE "WebhookReceipt" ADD COLUMN "outcome" TEXT;

-- CreateIndex
CREATE INDEX "WebhookReceipt_status_nextAttemptAt_idx" ON "WebhookReceipt"("status", "nextAttemptAt");

