-- DropIndex
DROP INDEX "TrackingEvent_shopId_status_nextAttemptAt_idx";

-- AlterTable
ALTER TABLE "TrackingEvent" ADD COLUMN "backfillId" TEXT;

-- CreateTable
CREATE TABLE "Backfill" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "activeShopId" TEXT,
    "status" TEXT NOT NULL,
    "windowDays" INTEGER NOT NULL,
    "triggerFlows" BOOLEAN NOT NULL,
    "since" DATETIME NOT NULL,
    "cursor" TEXT,
    "readDone" BOOLEAN NOT NULL DEFAULT false,
    "ordersTotal" INTEGER,
    "ordersRead" INTEGER NOT NULL DEFAULT 0,
    "eventsSkipped" INTEGER NOT NULL DEFAULT 0,
    "leaseOwner" TEXT,
    "leaseExpiresAt" DATETIME,
    "nextReadAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "error" TEXT,
    "startedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" DATETIME,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Backfill_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "Backfill_activeShopId_key" ON "Backfill"("activeShopId");

-- CreateIndex
CREATE INDEX "Backfill_shopId_startedAt_idx" ON "Backfill"("shopId", "startedAt");

-- CreateIndex
CREATE INDEX "Backfill_status_nextReadAt_idx" ON "Backfill"("status", "nextReadAt");

-- CreateIndex
CREATE INDEX "TrackingEvent_shopId_status_backfillId_nextAttemptAt_idx" ON "TrackingEvent"("shopId", "status", "backfillId", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "TrackingEvent_backfillId_status_idx" ON "TrackingEvent"("backfillId", "status");

