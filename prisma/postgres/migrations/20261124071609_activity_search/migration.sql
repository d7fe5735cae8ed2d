-- DropIndex
DROP INDEX "TrackingEvent_shopId_detectedAt_idx";

-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "testEventAcceptedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "TrackingEvent" ADD COLUMN     "customerEmail" TEXT,
ADD COLUMN     "trackingNumber" TEXT;

-- CreateIndex
CREATE INDEX "TrackingEvent_shopId_detectedAt_id_idx" ON "TrackingEvent"("shopId", "detectedAt", "id");

-- CreateIndex
CREATE INDEX "TrackingEvent_shopId_status_detectedAt_id_idx" ON "TrackingEvent"("shopId", "status", "detectedAt", "id");

-- CreateIndex
CREATE INDEX "TrackingEvent_shopId_orderName_detectedAt_id_idx" ON "TrackingEvent"("shopId", "orderName", "detectedAt", "id");

-- CreateIndex
CREATE INDEX "TrackingEvent_shopId_customerEmail_detectedAt_id_idx" ON "TrackingEvent"("shopId", "customerEmail", "detectedAt", "id");

-- CreateIndex
CREATE INDEX "TrackingEvent_shopId_trackingNumber_detectedAt_id_idx" ON "TrackingEvent"("shopId", "trackingNumber", "detectedAt", "id");

