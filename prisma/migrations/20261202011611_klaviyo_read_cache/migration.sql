-- CreateTable
CREATE TABLE "KlaviyoReadCache" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "body" TEXT NOT NULL,
    "fetchedAt" DATETIME NOT NULL
);

