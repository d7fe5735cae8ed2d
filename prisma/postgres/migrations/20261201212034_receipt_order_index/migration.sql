-- CreateIndex
CREATE INDEX "WebhookReceipt_orderId_idx" ON "WebhookReceipt"("orderId");
