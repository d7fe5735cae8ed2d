-- AlterTable
ALTER TABLE "StorefrontVisitor" ADD COLUMN "checkoutToken" TEXT;

-- CreateIndex
CREATE INDEX "StorefrontVisitor_shopId_checkoutToken_idx" ON "StorefrontVisitor"("shopId", "checkoutToken");

