-- DropIndex
DROP INDEX "TrackedOrder_shopId_customerIdentity_placedAt_idx";

-- CreateIndex
CREATE INDEX "TrackedOrder_shopId_customerIdentity_placedAt_snapshotAt_idx" ON "TrackedOrder"("shopId", "customerIdentity", "placedAt", "snapshotAt");

