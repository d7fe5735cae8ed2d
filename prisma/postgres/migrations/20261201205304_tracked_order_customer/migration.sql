-- AlterTable
ALTER TABLE "TrackedOrder" ADD COLUMN     "customerIdentity" TEXT,
ADD COLUMN     "placedAt" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "TrackedOrder_shopId_customerIdentity_placedAt_idx" ON "TrackedOrder"("shopId", "customerIdentity", "placedAt");

