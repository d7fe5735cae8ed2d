-- AlterTable
ALTER TABLE "TrackedOrder" ADD COLUMN "customerIdentity" TEXT;
ALTER TABLE "TrackedOrder" ADD COLUMN "placedAt" DATETIME;

-- CreateIndex
CREATE INDEX "TrackedOrder_shopId_customerIdentity_placedAt_idx" ON "TrackedOrder"("shopId", "customerIdentity", "placedAt");

