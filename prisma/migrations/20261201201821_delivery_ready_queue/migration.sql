-- AlterTable
ALTER TABLE "TrackedShipment" ADD COLUMN "delayRaisedFor" TEXT;

-- CreateTable
CREATE TABLE "DeliveryReady" (
    "eventId" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "queue" TEXT NOT NULL,
    "dueAt" DATETIME NOT NULL,
    "leaseOwner" TEXT,
    CONSTRAINT "DeliveryReady_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "TrackingEvent" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_TrackingEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "uniqueKey" TEXT NOT NULL,
    "eventKey" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "orderName" TEXT,
    "fulfillmentId" TEXT,
    "happenedAt" DATETIME,
    "detectedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "status" TEXT NOT NULL,
    "skipReason" TEXT,
    "note" TEXT,
    "payload" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME,
    "lastError" TEXT,
    "sentAt" DATETIME,
    "customerEmail" TEXT,
    "trackingNumber" TEXT,
    "backfillId" TEXT,
    CONSTRAINT "TrackingEvent_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_TrackingEvent" ("attempts", "backfillId", "customerEmail", "detectedAt", "eventKey", "fulfillmentId", "happenedAt", "id", "lastError", "nextAttemptAt", "note", "orderId", "orderName", "payload", "sentAt", "shopId", "skipReason", "status", "trackingNumber", "uniqueKey") SELECT "attempts", "backfillId", "customerEmail", "detectedAt", "eventKey", "fulfillmentId", "happenedAt", "id", "lastError", "nextAttemptAt", "note", "orderId", "orderName", "payload", "sentAt", "shopId", "skipReason", "status", "trackingNumber", "uniqueKey" FROM "TrackingEvent";
DROP TABLE "TrackingEvent";
ALTER TABLE "new_TrackingEvent" RENAME TO "TrackingEvent";
CREATE INDEX "TrackingEvent_status_detectedAt_idx" ON "TrackingEvent"("status", "detectedAt");
CREATE INDEX "TrackingEvent_shopId_detectedAt_id_idx" ON "TrackingEvent"("shopId", "detectedAt", "id");
CREATE INDEX "TrackingEvent_shopId_status_detectedAt_id_idx" ON "TrackingEvent"("shopId", "status", "detectedAt", "id");
CREATE INDEX "TrackingEvent_shopId_orderName_detectedAt_id_idx" ON "TrackingEvent"("shopId", "orderName", "detectedAt", "id");
CREATE INDEX "TrackingEvent_shopId_customerEmail_detectedAt_id_idx" ON "TrackingEvent"("shopId", "customerEmail", "detectedAt", "id");
CREATE INDEX "TrackingEvent_shopId_trackingNumber_detectedAt_id_idx" ON "TrackingEvent"("shopId", "trackingNumber", "detectedAt", "id");
CREATE INDEX "TrackingEvent_backfillId_status_idx" ON "TrackingEvent"("backfillId", "status");
CREATE UNIQUE INDEX "TrackingEvent_shopId_uniqueKey_key" ON "TrackingEvent"("shopId", "uniqueKey");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "DeliveryReady_shopId_queue_dueAt_idx" ON "DeliveryReady"("shopId", "queue", "dueAt");

-- CreateIndex
CREATE INDEX "DeliveryReady_dueAt_idx" ON "DeliveryReady"("dueAt");


-- Every queued event, and any caught mid-send, takes its place in the ready queue: "sending" is
-- no longer a status of the history, a claim is a lease on the ready row.
UPDATE "TrackingEvent" SET "status" = 'queued', "nextAttemptAt" = COALESCE("nextAttemptAt", "detectedAt")
WHERE "status" IN ('queued', 'sending');
INSERT INTO "DeliveryReady" ("eventId", "shopId", "queue", "dueAt")
SELECT "id", "shopId", COALESCE("backfillId", 'live'), "nextAttemptAt" FROM "TrackingEvent" WHERE "status" = 'queued';
