-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "storeCreditSyncOnAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "CustomerProfile" ADD COLUMN     "shopifyCustomerId" TEXT,
ADD COLUMN     "storeCredit" TEXT,
ADD COLUMN     "storeCreditReadAt" TIMESTAMP(3);

