-- AlterTable
ALTER TABLE "CustomerProfile" ADD COLUMN     "leaseOwner" TEXT,
ADD COLUMN     "leasedUntil" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "CustomerProfile_status_shopId_nextAttemptAt_idx" ON "CustomerProfile"("status", "shopId", "nextAttemptAt");


-- A queued update is due at nextAttemptAt: one queued before that was always set is due now.
UPDATE "CustomerProfile" SET "nextAttemptAt" = "updatedAt" WHERE "status" = 'queued' AND "nextAttemptAt" IS NULL;
