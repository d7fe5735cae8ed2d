-- CreateTable
CREATE TABLE "DeliveryAttempt" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "trackingEventId" TEXT NOT NULL,
    "attemptedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "httpStatus" INTEGER NOT NULL,
    "outcome" TEXT NOT NULL,
    "latencyMs" INTEGER NOT NULL,
    "detail" TEXT,
    "requestId" TEXT,
    CONSTRAINT "DeliveryAttempt_trackingEventId_fkey" FOREIGN KEY ("trackingEventId") REFERENCES "TrackingEvent" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "DeliveryAttempt_trackingEventId_attemptedAt_idx" ON "DeliveryAttempt"("trackingEventId", "attemptedAt");

