-- CreateTable
CREATE TABLE "ShopReconciliation" (
    "shopId" TEXT NOT NULL PRIMARY KEY,
    "checkedThrough" DATETIME NOT NULL,
    "lastCheckedAt" DATETIME,
    "recoveredEvents" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "ShopReconciliation_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

