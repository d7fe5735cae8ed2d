-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "contactEmail" TEXT,
ADD COLUMN     "countryCode" TEXT,
ADD COLUMN     "currency" TEXT,
ADD COLUMN     "factsReadAt" TIMESTAMP(3),
ADD COLUMN     "primaryDomainHost" TEXT;

