-- AlterTable
ALTER TABLE "DeliveryLane" ADD COLUMN     "ownedUntil" TIMESTAMP(3),
ADD COLUMN     "ownerId" TEXT;

