-- AlterTable
ALTER TABLE "Shop" ADD COLUMN "storeCreditSyncOnAt" DATETIME;

-- AlterTable
ALTER TABLE "CustomerProfile" ADD COLUMN "shopifyCustomerId" TEXT;
ALTER TABLE "CustomerProfile" ADD COLUMN "storeCredit" TEXT;
ALTER TABLE "CustomerProfile" ADD COLUMN "storeCreditReadAt" DATETIME;

