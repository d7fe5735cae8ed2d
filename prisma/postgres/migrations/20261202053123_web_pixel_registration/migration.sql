-- CreateTable
CREATE TABLE "StorefrontPixel" (
    "shopId" TEXT NOT NULL,
    "webPixelId" TEXT,
    "enabledEvents" TEXT NOT NULL DEFAULT '',
    "status" TEXT NOT NULL DEFAULT 'not_synced',
    "detail" TEXT,
    "syncedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "StorefrontPixel_pkey" PRIMARY KEY ("shopId")
);

-- AddForeignKey
ALTER TABLE "StorefrontPixel" ADD CONSTRAINT "StorefrontPixel_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

