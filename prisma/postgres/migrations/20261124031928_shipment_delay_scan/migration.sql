-- AlterTable
ALTER TABLE "TrackedShipment" ADD COLUMN     "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- CreateIndex
CREATE INDEX "TrackedShipment_milestone_lastCarrierUpdateAt_idx" ON "TrackedShipment"("milestone", "lastCarrierUpdateAt");

