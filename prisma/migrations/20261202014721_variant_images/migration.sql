-- CreateTable
CREATE TABLE "VariantImage" (
    "shopId" TEXT NOT NULL,
    "variantId" TEXT NOT NULL,
    "imageUrl" TEXT,
    "readAt" DATETIME NOT NULL,

    PRIMARY KEY ("shopId", "variantId"),
    CONSTRAINT "VariantImage_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

