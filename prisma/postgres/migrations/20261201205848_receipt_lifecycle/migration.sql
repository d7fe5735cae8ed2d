-- AlterTable
ALTER TABLE "WebhookReceipt" ADD COLUMN     "nextAttemptAt" TIMESTAMP(3),
ADD COLUMN     "outcome" TEXT;

-- CreateIndex
CREATE INDEX "WebhookReceipt_status_nextAttemptAt_idx" ON "WebhookReceipt"("status", "nextAttemptAt");

