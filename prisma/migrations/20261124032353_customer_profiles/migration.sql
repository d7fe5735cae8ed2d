-- AlterTable
ALTER TABLE "TrackedShipment" ADD COLUMN "customerIdentity" TEXT;
ALTER TABLE "TrackedShipment" ADD COLUMN "deliveredAt" DATETIME;

-- CreateTable
CREATE TABLE "CustomerProfile" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "identity" TEXT NOT NULL,
    "attributes" TEXT NOT NULL,
    "sentAttributes" TEXT,
    "status" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME,
    "lastError" TEXT,
    "syncedAt" DATETIME,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "CustomerProfile_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "CustomerProfile_status_nextAttemptAt_idx" ON "CustomerProfile"("status", "nextAttemptAt");

-- CreateIndex
CREATE UNIQUE INDEX "CustomerProfile_shopId_identity_key" ON "CustomerProfile"("shopId", "identity");

-- CreateIndex
CREATE INDEX "TrackedShipment_shopId_customerIdentity_idx" ON "TrackedShipment"("shopId", "customerIdentity");

