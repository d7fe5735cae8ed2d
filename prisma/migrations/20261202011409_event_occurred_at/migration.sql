-- AlterTable
ALTER TABLE "Shop" ADD COLUMN "shipmentDelayDays" INTEGER;

-- AlterTable
ALTER TABLE "TrackingEvent" ADD COLUMN "occurredAt" DATETIME;
ALTER TABLE "TrackingEvent" ADD COLUMN "source" TEXT DEFAULT 'live';

-- Events recorded before the column: the platform's time where it was kept, else when detected.
UPDATE "TrackingEvent" SET "occurredAt" = COALESCE("happenedAt", "detectedAt");
UPDATE "TrackingEvent" SET "source" = 'imported' WHERE "backfillId" IS NOT NULL;

-- CreateIndex
CREATE INDEX "TrackingEvent_shopId_occurredAt_id_idx" ON "TrackingEvent"("shopId", "occurredAt", "id");

