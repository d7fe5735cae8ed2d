-- AlterTable
ALTER TABLE "CustomerProfile" ADD COLUMN "klaviyoProfileId" TEXT;

