-- AlterTable
ALTER TABLE "DeliveryLane" ADD COLUMN "ownedUntil" DATETIME;
ALTER TABLE "DeliveryLane" ADD COLUMN "ownerId" TEXT;

