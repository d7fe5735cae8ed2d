-- CreateTable
CREATE TABLE "KlaviyoReadCache" (
    "key" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "fetchedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "KlaviyoReadCache_pkey" PRIMARY KEY ("key")
);

