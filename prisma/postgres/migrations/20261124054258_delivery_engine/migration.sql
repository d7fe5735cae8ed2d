-- AlterTable
ALTER TABLE "TrackingEvent" ADD COLUMN     "leaseExpiresAt" TIMESTAMP(3),
ADD COLUMN     "leaseOwner" TEXT;

-- CreateTable
CREATE TABLE "DeliveryLane" (
    "key" TEXT NOT NULL,
    "secondTokens" DOUBLE PRECISION NOT NULL,
    "minuteTokens" DOUBLE PRECISION NOT NULL,
    "refilledAt" TIMESTAMP(3) NOT NULL,
    "pausedUntil" TIMESTAMP(3),
    "version" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "DeliveryLane_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "ScheduledJob" (
    "name" TEXT NOT NULL,
    "runAt" TIMESTAMP(3) NOT NULL,
    "lastStartedAt" TIMESTAMP(3),
    "lastFinishedAt" TIMESTAMP(3),
    "lastOwner" TEXT,
    "lastError" TEXT,

    CONSTRAINT "ScheduledJob_pkey" PRIMARY KEY ("name")
);

-- CreateIndex
CREATE INDEX "TrackingEvent_shopId_status_nextAttemptAt_idx" ON "TrackingEvent"("shopId", "status", "nextAttemptAt");


-- Data: events that gave up are dead letters now; a queued event always says when it is ready.
UPDATE "TrackingEvent" SET "status" = 'dead_lettered' WHERE "status" = 'failed';
UPDATE "TrackingEvent" SET "nextAttemptAt" = "detectedAt" WHERE "status" = 'queued' AND "nextAttemptAt" IS NULL;
UPDATE "TrackingEvent" SET "status" = 'queued', "nextAttemptAt" = "detectedAt" WHERE "status" = 'sending';
