-- AlterTable
ALTER TABLE "Shop" ADD COLUMN "pixelKey" TEXT;

-- CreateTable
CREATE TABLE "StorefrontVisitor" (
    "shopId" TEXT NOT NULL,
    "clientId" TEXT NOT NULL,
    "customerId" TEXT,
    "email" TEXT,
    "phone" TEXT,
    "firstName" TEXT,
    "lastName" TEXT,
    "identifiedAt" DATETIME,
    "lastPageViewAt" DATETIME,
    "updatedAt" DATETIME NOT NULL,

    PRIMARY KEY ("shopId", "clientId"),
    CONSTRAINT "StorefrontVisitor_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "StorefrontVisitor_shopId_email_idx" ON "StorefrontVisitor"("shopId", "email");

-- CreateIndex
CREATE UNIQUE INDEX "Shop_pixelKey_key" ON "Shop"("pixelKey");

