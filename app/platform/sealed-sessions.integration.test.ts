import { existsSync, readFileSync } from "node:fs";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import { Session } from "@shopify/shopify-app-remix/server";
import { beforeEach, describe, expect, it } from "vitest";
import { seedInstalledShop } from "../../e2e/support/admin-session";
import { resetDatabase } from "../../e2e/support/integration";
import { OTHER_SHOP, TEST_SHOP } from "../../e2e/support/test-config";
import { flushErasedData, prisma } from "../db.server";
import { sqliteFilePath } from "../db/adapter.server";
import { getEnv } from "../env.server";
import { startShopifyAdminDouble } from "../demo/doubles/shopify-admin/server";
import { adminApiForShop } from "./admin-graphql.server";
import { openStoredToken, SealedSessionStorage, sealPlainSessions } from "./sealed-sessions.server";

// Shopify's offline tokens at rest (security review F9): stored sealed, read back open.

const ACCESS_TOKEN = "shpat_plaintext_offline_token_0123456789";
const REFRESH_TOKEN = "shprt_plaintext_refresh_token_0123456789";
const onSqlite = (process.env.WAYPOST_TEST_DATABASE ?? "sqlite") === "sqlite";

const offlineSession = (shop: string) =>
  new Session({
    id: `offline_${shop}`,
    shop,
    state: "",
    isOnline: false,
    scope: "read_orders",
    accessToken: ACCESS_TOKEN,
    refreshToken: REFRESH_TOKEN,
  });

const storage = () => new SealedSessionStorage(new PrismaSessionStorage(prisma));

beforeEach(resetDatabase);

describe("Shopify sessions at rest", () => {
  it("stores the access and refresh tokens sealed, and gives them back open", async () => {
    await storage().storeSession(offlineSession(TEST_SHOP));

    const row = await prisma.session.findUniqueOrThrow({ where: { id: `offline_${TEST_SHOP}` } });
    expect(row.accessToken).toMatch(/^v1\./);
    expect(row.refreshToken).toMatch(/^v1\./);
    expect(JSON.stringify(row)).not.toContain("plaintext");
    const loaded = await storage().loadSession(`offline_${TEST_SHOP}`);
    expect(loaded).toMatchObject({ accessToken: ACCESS_TOKEN, refreshToken: REFRESH_TOKEN, shop: TEST_SHOP });
    expect((await storage().findSessionsByShop(TEST_SHOP)).map((session) => session.accessToken)).toEqual([
      ACCESS_TOKEN,
    ]);
  });

  it("will not open a sealed token copied into another shop's session", async () => {
    await storage().storeSession(offlineSession(TEST_SHOP));
    await storage().storeSession(offlineSession(OTHER_SHOP));
    const { accessToken } = await prisma.session.findUniqueOrThrow({ where: { id: `offline_${TEST_SHOP}` } });
    await prisma.session.update({ where: { id: `offline_${OTHER_SHOP}` }, data: { accessToken } });

    await expect(storage().loadSession(`offline_${OTHER_SHOP}`)).rejects.toThrow();
  });

  it("seals the plain tokens of sessions stored before, once, and the Admin API still gets the token", async () => {
    await seedInstalledShop(prisma, TEST_SHOP);
    const plain = `shpat_${TEST_SHOP}`;
    expect((await prisma.session.findFirstOrThrow()).accessToken).toBe(plain);

    expect(await sealPlainSessions()).toBe(1);
    expect(await sealPlainSessions()).toBe(0);

    const row = await prisma.session.findFirstOrThrow();
    expect(row.accessToken).toMatch(/^v1\./);
    expect(openStoredToken(row.id, row.accessToken)).toBe(plain);
    const shopify = await startShopifyAdminDouble({ orders: [], accessToken: plain });
    (getEnv() as { shopifyAdminApiUrl?: string }).shopifyAdminApiUrl = shopify.url;
    try {
      expect(await (await adminApiForShop(TEST_SHOP))!.confirmAccess()).toMatchObject({ ok: true });
    } finally {
      await shopify.close();
    }
  });

  it("leaves no plain token anywhere in the database: SQLite's file and log, or PostgreSQL's rows", async () => {
    await storage().storeSession(offlineSession(TEST_SHOP));
    await flushErasedData();
    const stored = onSqlite ? sqliteBytes() : await postgresSessionRows();
    expect(stored).toContain(`offline_${TEST_SHOP}`);
    expect(stored.includes(ACCESS_TOKEN)).toBe(false);
    expect(stored.includes(REFRESH_TOKEN)).toBe(false);
  });
});

function sqliteBytes(): string {
  const file = sqliteFilePath(getEnv().databaseUrl);
  return Buffer.concat([file, `${file}-wal`].filter(existsSync).map((path) => readFileSync(path))).toString("latin1");
}

/** Every Session row as PostgreSQL writes it out, whatever its columns. */
async function postgresSessionRows(): Promise<string> {
  const rows = await prisma.$queryRaw<{ row: string }[]>`SELECT row_to_json(s)::text AS row FROM "Session" s`;
  return rows.map(({ row }) => row).join("\n");
}
