-- CreateTable
CREATE TABLE "TrackedOrder" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "snapshot" TEXT NOT NULL,
    "snapshotAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "TrackedOrder_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TrackedShipment" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "fulfillmentId" TEXT NOT NULL,
    "milestone" TEXT,
    "snapshot" TEXT NOT NULL,
    "lastCarrierUpdateAt" TIMESTAMP(3),
    "estimatedDeliveryAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "TrackedShipment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TrackingEvent" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "uniqueKey" TEXT NOT NULL,
    "eventKey" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "orderName" TEXT,
    "fulfillmentId" TEXT,
    "happenedAt" TIMESTAMP(3),
    "detectedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "status" TEXT NOT NULL,
    "skipReason" TEXT,
    "payload" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3),
    "lastError" TEXT,
    "sentAt" TIMESTAMP(3),

    CONSTRAINT "TrackingEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "TrackedOrder_shopId_orderId_key" ON "TrackedOrder"("shopId", "orderId");

-- CreateIndex
CREATE INDEX "TrackedShipment_shopId_orderId_idx" ON "TrackedShipment"("shopId", "orderId");

-- CreateIndex
CREATE UNIQUE INDEX "TrackedShipment_shopId_fulfillmentId_key" ON "TrackedShipment"("shopId", "fulfillmentId");

-- CreateIndex
CREATE INDEX "TrackingEvent_status_nextAttemptAt_idx" ON "TrackingEvent"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "TrackingEvent_shopId_detectedAt_idx" ON "TrackingEvent"("shopId", "detectedAt");

-- CreateIndex
CREATE UNIQUE INDEX "TrackingEvent_shopId_uniqueKey_key" ON "TrackingEvent"("shopId", "uniqueKey");

-- AddForeignKey
ALTER TABLE "TrackedOrder" ADD CONSTRAINT "TrackedOrder_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrackedShipment" ADD CONSTRAINT "TrackedShipment_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrackingEvent" ADD CONSTRAINT "TrackingEvent_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

