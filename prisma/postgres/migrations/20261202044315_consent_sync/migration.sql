-- CreateTable
CREATE TABLE "ConsentSync" (
    "shopId" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT false,
    "mode" TEXT NOT NULL DEFAULT 'poll',
    "modeReason" TEXT,
    "klaviyoWebhookId" TEXT,
    "sealedWebhookSecret" TEXT,
    "enabledAt" TIMESTAMP(3),
    "pollCursor" TIMESTAMP(3),
    "polledAt" TIMESTAMP(3),
    "pollError" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ConsentSync_pkey" PRIMARY KEY ("shopId")
);

-- CreateTable
CREATE TABLE "ConsentChange" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "klaviyoEventId" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "klaviyoProfileId" TEXT,
    "email" TEXT,
    "phone" TEXT,
    "occurredAt" TIMESTAMP(3) NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "shopifyCustomerId" TEXT,
    "result" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3),
    "claimedUntil" TIMESTAMP(3),
    "settledAt" TIMESTAMP(3),

    CONSTRAINT "ConsentChange_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ConsentSync_klaviyoWebhookId_key" ON "ConsentSync"("klaviyoWebhookId");

-- CreateIndex
CREATE INDEX "ConsentChange_status_nextAttemptAt_idx" ON "ConsentChange"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "ConsentChange_shopId_receivedAt_idx" ON "ConsentChange"("shopId", "receivedAt");

-- CreateIndex
CREATE UNIQUE INDEX "ConsentChange_shopId_klaviyoEventId_key" ON "ConsentChange"("shopId", "klaviyoEventId");

-- AddForeignKey
ALTER TABLE "ConsentSync" ADD CONSTRAINT "ConsentSync_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConsentChange" ADD CONSTRAINT "ConsentChange_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

