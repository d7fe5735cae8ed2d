-- AlterTable
ALTER TABLE "TrackingEvent" ADD COLUMN "leaseExpiresAt" DATETIME;
ALTER TABLE "TrackingEvent" ADD COLUMN "leaseOwner" TEXT;

-- CreateTable
CREATE TABLE "DeliveryLane" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "secondTokens" REAL NOT NULL,
    "minuteTokens" REAL NOT NULL,
    "refilledAt" DATETIME NOT NULL,
    "pausedUntil" DATETIME,
    "version" INTEGER NOT NULL DEFAULT 0
);

-- CreateTable
CREATE TABLE "ScheduledJob" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "runAt" DATETIME NOT NULL,
    "lastStartedAt" DATETIME,
    "lastFinishedAt" DATETIME,
    "lastOwner" TEXT,
    "lastError" TEXT
);

-- CreateIndex
CREATE INDEX "TrackingEvent_shopId_status_nextAttemptAt_idx" ON "TrackingEvent"("shopId", "status", "nextAttemptAt");


-- Data: events that gave up are dead letters now; a queued event always says when it is ready.
UPDATE "TrackingEvent" SET "status" = 'dead_lettered' WHERE "status" = 'failed';
UPDATE "TrackingEvent" SET "nextAttemptAt" = "detectedAt" WHERE "status" = 'queued' AND "nextAttemptAt" IS NULL;
UPDATE "TrackingEvent" SET "status" = 'queued', "nextAttemptAt" = "detectedAt" WHERE "status" = 'sending';
