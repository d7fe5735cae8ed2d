-- DropIndex
DROP INDEX "TrackingEvent_shopId_status_detectedAt_id_idx";

-- CreateIndex
CREATE INDEX "TrackingEvent_shopId_status_detectedAt_id_eventKey_idx" ON "TrackingEvent"("shopId", "status", "detectedAt", "id", "eventKey");

-- CreateIndex
CREATE INDEX "TrackingEvent_shopId_eventKey_detectedAt_id_idx" ON "TrackingEvent"("shopId", "eventKey", "detectedAt", "id");

