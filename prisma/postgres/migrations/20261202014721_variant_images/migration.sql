-- CreateTable
CREATE TABLE "VariantImage" (
    "shopId" TEXT NOT NULL,
    "variantId" TEXT NOT NULL,
    "imageUrl" TEXT,
    "readAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "VariantImage_pkey" PRIMARY KEY ("shopId","variantId")
);

-- AddForeignKey
ALTER TABLE "VariantImage" ADD CONSTRAINT "VariantImage_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

