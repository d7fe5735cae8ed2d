-- CreateTable
CREATE TABLE "KlaviyoConnection" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "accountName" TEXT NOT NULL,
    "sealedAccessToken" TEXT NOT NULL,
    "sealedRefreshToken" TEXT,
    "accessTokenExpiresAt" DATETIME,
    "refreshedAt" DATETIME,
    "scopes" TEXT NOT NULL DEFAULT '',
    "status" TEXT NOT NULL DEFAULT 'connected',
    "statusReason" TEXT,
    "connectedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "KlaviyoConnection_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "KlaviyoAuthorization" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "stateHash" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "sealedCodeVerifier" TEXT NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "KlaviyoAuthorization_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "EventSetting" (
    "shopId" TEXT NOT NULL,
    "eventKey" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL,

    PRIMARY KEY ("shopId", "eventKey"),
    CONSTRAINT "EventSetting_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "KlaviyoConnection_shopId_key" ON "KlaviyoConnection"("shopId");

-- CreateIndex
CREATE INDEX "KlaviyoConnection_accountId_idx" ON "KlaviyoConnection"("accountId");

-- CreateIndex
CREATE INDEX "KlaviyoConnection_status_accessTokenExpiresAt_idx" ON "KlaviyoConnection"("status", "accessTokenExpiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "KlaviyoAuthorization_stateHash_key" ON "KlaviyoAuthorization"("stateHash");

-- CreateIndex
CREATE INDEX "KlaviyoAuthorization_shopId_idx" ON "KlaviyoAuthorization"("shopId");

