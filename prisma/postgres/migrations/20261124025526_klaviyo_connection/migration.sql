-- CreateTable
CREATE TABLE "KlaviyoConnection" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "accountName" TEXT NOT NULL,
    "sealedAccessToken" TEXT NOT NULL,
    "sealedRefreshToken" TEXT,
    "accessTokenExpiresAt" TIMESTAMP(3),
    "refreshedAt" TIMESTAMP(3),
    "scopes" TEXT NOT NULL DEFAULT '',
    "status" TEXT NOT NULL DEFAULT 'connected',
    "statusReason" TEXT,
    "connectedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "KlaviyoConnection_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "KlaviyoAuthorization" (
    "id" TEXT NOT NULL,
    "stateHash" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "sealedCodeVerifier" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "KlaviyoAuthorization_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EventSetting" (
    "shopId" TEXT NOT NULL,
    "eventKey" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL,

    CONSTRAINT "EventSetting_pkey" PRIMARY KEY ("shopId","eventKey")
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

-- AddForeignKey
ALTER TABLE "KlaviyoConnection" ADD CONSTRAINT "KlaviyoConnection_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "KlaviyoAuthorization" ADD CONSTRAINT "KlaviyoAuthorization_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EventSetting" ADD CONSTRAINT "EventSetting_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

