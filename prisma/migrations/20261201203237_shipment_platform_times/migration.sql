-- AlterTable
ALTER TABLE "TrackedShipment" ADD COLUMN "shippedAt" DATETIME;

