import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { applyMigrations, type Migration } from "../../app/db/migrate.server";
import { POSTGRES_ADMIN_URL } from "./test-config";

export type TestDatabaseKind = "sqlite" | "postgres";

export interface TestDatabase {
  kind: TestDatabaseKind;
  url: string;
  drop(): Promise<void>;
}

/**
 * A brand-new database with a random name, for one test file, migrated the way the app
 * migrates itself (or with the `migrations` given, for drift checks).
 */
export async function createTestDatabase(kind: TestDatabaseKind, migrations?: Migration[]): Promise<TestDatabase> {
  const database = kind === "sqlite" ? createSqliteDatabase() : await createPostgresSchema();
  await applyMigrations(database.url, migrations);
  return database;
}

function createSqliteDatabase(): TestDatabase {
  const file = join(tmpdir(), `waypost-test-${randomBytes(6).toString("hex")}.sqlite`);
  return {
    kind: "sqlite",
    url: `file:${file}`,
    async drop() {
      for (const extension of ["", "-wal", "-shm", "-journal"]) rmSync(`${file}${extension}`, { force: true });
    },
  };
}

async function createPostgresSchema(): Promise<TestDatabase> {
  const schema = `waypost_test_${randomBytes(6).toString("hex")}`;
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await client.connect().catch((error: Error) => {
    throw new Error(
      `PostgreSQL is not reachable at ${POSTGRES_ADMIN_URL} (${error.message}). Start it, or set TEST_POSTGRES_URL.`,
    );
  });
  await client.query(`CREATE SCHEMA "${schema}"`);
  await client.end();
  const url = new URL(POSTGRES_ADMIN_URL);
  url.searchParams.set("schema", schema);
  return {
    kind: "postgres",
    url: url.toString(),
    async drop() {
      const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
      await admin.connect();
      await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await admin.end();
    },
  };
}
