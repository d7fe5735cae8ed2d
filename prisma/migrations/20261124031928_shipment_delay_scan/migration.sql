-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_TrackedShipment" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "fulfillmentId" TEXT NOT NULL,
    "milestone" TEXT,
    "snapshot" TEXT NOT NULL,
    "lastCarrierUpdateAt" DATETIME,
    "estimatedDeliveryAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "TrackedShipment_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_TrackedShipment" ("estimatedDeliveryAt", "fulfillmentId", "id", "lastCarrierUpdateAt", "milestone", "orderId", "shopId", "snapshot", "updatedAt") SELECT "estimatedDeliveryAt", "fulfillmentId", "id", "lastCarrierUpdateAt", "milestone", "orderId", "shopId", "snapshot", "updatedAt" FROM "TrackedShipment";
DROP TABLE "TrackedShipment";
ALTER TABLE "new_TrackedShipment" RENAME TO "TrackedShipment";
CREATE INDEX "TrackedShipment_shopId_orderId_idx" ON "TrackedShipment"("shopId", "orderId");
CREATE INDEX "TrackedShipment_milestone_lastCarrierUpdateAt_idx" ON "TrackedShipment"("milestone", "lastCarrierUpdateAt");
CREATE UNIQUE INDEX "TrackedShipment_shopId_fulfillmentId_key" ON "TrackedShipment"("shopId", "fulfillmentId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

