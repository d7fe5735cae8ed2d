-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "pixelKey" TEXT;

-- CreateTable
CREATE TABLE "StorefrontVisitor" (
    "shopId" TEXT NOT NULL,
    "clientId" TEXT NOT NULL,
    "customerId" TEXT,
    "email" TEXT,
    "phone" TEXT,
    "firstName" TEXT,
    "lastName" TEXT,
    "identifiedAt" TIMESTAMP(3),
    "lastPageViewAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "StorefrontVisitor_pkey" PRIMARY KEY ("shopId","clientId")
);

-- CreateIndex
CREATE INDEX "StorefrontVisitor_shopId_email_idx" ON "StorefrontVisitor"("shopId", "email");

-- CreateIndex
CREATE UNIQUE INDEX "Shop_pixelKey_key" ON "Shop"("pixelKey");

-- AddForeignKey
ALTER TABLE "StorefrontVisitor" ADD CONSTRAINT "StorefrontVisitor_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

