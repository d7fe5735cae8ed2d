-- AlterTable
ALTER TABLE "TrackedShipment" ADD COLUMN     "shippedAt" TIMESTAMP(3);

