-- CreateTable
CREATE TABLE "StorefrontPixel" (
    "shopId" TEXT NOT NULL PRIMARY KEY,
    "webPixelId" TEXT,
    "enabledEvents" TEXT NOT NULL DEFAULT '',
    "status" TEXT NOT NULL DEFAULT 'not_synced',
    "detail" TEXT,
    "syncedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "StorefrontPixel_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

