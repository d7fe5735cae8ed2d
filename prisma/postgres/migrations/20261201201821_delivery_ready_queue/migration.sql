-- DropIndex
DROP INDEX "TrackingEvent_status_nextAttemptAt_idx";

-- DropIndex
DROP INDEX "TrackingEvent_shopId_status_backfillId_nextAttemptAt_idx";

-- AlterTable
ALTER TABLE "TrackedShipment" ADD COLUMN     "delayRaisedFor" TEXT;

-- AlterTable
ALTER TABLE "TrackingEvent" DROP COLUMN "leaseExpiresAt",
DROP COLUMN "leaseOwner";

-- CreateTable
CREATE TABLE "DeliveryReady" (
    "eventId" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "queue" TEXT NOT NULL,
    "dueAt" TIMESTAMP(3) NOT NULL,
    "leaseOwner" TEXT,

    CONSTRAINT "DeliveryReady_pkey" PRIMARY KEY ("eventId")
);

-- CreateIndex
CREATE INDEX "DeliveryReady_shopId_queue_dueAt_idx" ON "DeliveryReady"("shopId", "queue", "dueAt");

-- CreateIndex
CREATE INDEX "DeliveryReady_dueAt_idx" ON "DeliveryReady"("dueAt");

-- CreateIndex
CREATE INDEX "TrackingEvent_status_detectedAt_idx" ON "TrackingEvent"("status", "detectedAt");

-- AddForeignKey
ALTER TABLE "DeliveryReady" ADD CONSTRAINT "DeliveryReady_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "TrackingEvent"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Every queued event, and any caught mid-send, takes its place in the ready queue: "sending" is
-- no longer a status of the history, a claim is a lease on the ready row.
UPDATE "TrackingEvent" SET "status" = 'queued', "nextAttemptAt" = COALESCE("nextAttemptAt", "detectedAt")
WHERE "status" IN ('queued', 'sending');
INSERT INTO "DeliveryReady" ("eventId", "shopId", "queue", "dueAt")
SELECT "id", "shopId", COALESCE("backfillId", 'live'), "nextAttemptAt" FROM "TrackingEvent" WHERE "status" = 'queued';
