-- AlterTable
ALTER TABLE "Shop" ADD COLUMN "contactEmail" TEXT;
ALTER TABLE "Shop" ADD COLUMN "countryCode" TEXT;
ALTER TABLE "Shop" ADD COLUMN "currency" TEXT;
ALTER TABLE "Shop" ADD COLUMN "factsReadAt" DATETIME;
ALTER TABLE "Shop" ADD COLUMN "primaryDomainHost" TEXT;

