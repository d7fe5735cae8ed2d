-- AlterTable
ALTER TABLE "TrackingEvent" ADD COLUMN "note" TEXT;

