-- AlterTable
ALTER TABLE "TrackedOrder" ADD COLUMN     "routedAt" TIMESTAMP(3);

