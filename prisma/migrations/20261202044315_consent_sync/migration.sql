-- CreateTable
CREATE TABLE "ConsentSync" (
    "shopId" TEXT NOT NULL PRIMARY KEY,
    "enabled" BOOLEAN NOT NULL DEFAULT false,
    "mode" TEXT NOT NULL DEFAULT 'poll',
    "modeReason" TEXT,
    "klaviyoWebhookId" TEXT,
    "sealedWebhookSecret" TEXT,
    "enabledAt" DATETIME,
    "pollCursor" DATETIME,
    "polledAt" DATETIME,
    "pollError" TEXT,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "ConsentSync_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ConsentChange" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "klaviyoEventId" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "klaviyoProfileId" TEXT,
    "email" TEXT,
    "phone" TEXT,
    "occurredAt" DATETIME NOT NULL,
    "receivedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "shopifyCustomerId" TEXT,
    "result" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME,
    "claimedUntil" DATETIME,
    "settledAt" DATETIME,
    CONSTRAINT "ConsentChange_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "ConsentSync_klaviyoWebhookId_key" ON "ConsentSync"("klaviyoWebhookId");

-- CreateIndex
CREATE INDEX "ConsentChange_status_nextAttemptAt_idx" ON "ConsentChange"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "ConsentChange_shopId_receivedAt_idx" ON "ConsentChange"("shopId", "receivedAt");

-- CreateIndex
CREATE UNIQUE INDEX "ConsentChange_shopId_klaviyoEventId_key" ON "ConsentChange"("shopId", "klaviyoEventId");

