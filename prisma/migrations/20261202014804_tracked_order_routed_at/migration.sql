-- AlterTable
ALTER TABLE "TrackedOrder" ADD COLUMN "routedAt" DATETIME;

