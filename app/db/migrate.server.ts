import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import {
  databaseProvider,
  keepSqliteFilesPrivate,
  postgresConnection,
  sqliteFilePath,
  type DatabaseProvider,
} from "./adapter.server";

/**
 * Applies Prisma-generated migration SQL in order, once each, recording what ran in
 * `_waypost_migrations`. Prisma's own `migrate deploy` cannot run on Postgres through the
 * offline WASM engine (prisma/orm#27403), and one runner for both providers keeps them alike.
 */
export const MIGRATION_DIRECTORIES: Record<DatabaseProvider, string> = {
  sqlite: "prisma/migrations",
  postgresql: "prisma/postgres/migrations",
};

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export function readMigrations(provider: DatabaseProvider): Migration[] {
  const directory = MIGRATION_DIRECTORIES[provider];
  return readdirSync(directory, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(join(directory, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

interface AppliedMigration {
  name: string;
  checksum: string;
}

/** Which migrations still need to run; refuses if an applied one was edited afterwards. */
export function pendingMigrations(all: Migration[], applied: AppliedMigration[]): Migration[] {
  const appliedByName = new Map(applied.map((migration) => [migration.name, migration.checksum]));
  for (const migration of all) {
    const checksum = appliedByName.get(migration.name);
    if (checksum && checksum !== migration.checksum) {
      throw new Error(`migration ${migration.name} was changed after it was applied; add a new migration instead`);
    }
  }
  return all.filter((migration) => !appliedByName.has(migration.name));
}

const CREATE_LEDGER =
  'CREATE TABLE IF NOT EXISTS "_waypost_migrations" ("name" TEXT PRIMARY KEY, "checksum" TEXT NOT NULL, "appliedAt" TEXT NOT NULL)';

/** Brings the database up to date; returns the names of the migrations it applied. */
export async function applyMigrations(databaseUrl: string, migrations?: Migration[]): Promise<string[]> {
  const provider = databaseProvider(databaseUrl);
  const all = migrations ?? readMigrations(provider);
  return provider === "sqlite" ? applySqlite(sqliteFilePath(databaseUrl), all) : applyPostgres(databaseUrl, all);
}

function applySqlite(file: string, all: Migration[]): string[] {
  keepSqliteFilesPrivate(file);
  const database = new Database(file, { timeout: 10_000 });
  try {
    database.pragma("journal_mode = WAL");
    database.pragma("secure_delete = ON");
    database.exec(CREATE_LEDGER);
    // IMMEDIATE takes the write lock first, so two processes starting together apply each migration once.
    return database
      .transaction(() => {
        const applied = database
          .prepare('SELECT "name", "checksum" FROM "_waypost_migrations"')
          .all() as AppliedMigration[];
        const pending = pendingMigrations(all, applied);
        for (const migration of pending) {
          database.exec(migration.sql);
          database
            .prepare('INSERT INTO "_waypost_migrations" ("name", "checksum", "appliedAt") VALUES (?, ?, ?)')
            .run(migration.name, migration.checksum, new Date().toISOString());
        }
        return pending.map((migration) => migration.name);
      })
      .immediate();
  } finally {
    database.close();
  }
}

// Any fixed number: every Waypost process takes this advisory lock while migrating.
const MIGRATION_LOCK_ID = 7_146_220_331;

async function applyPostgres(databaseUrl: string, all: Migration[]): Promise<string[]> {
  const { connectionString, schema } = postgresConnection(databaseUrl);
  const client = new pg.Client({ connectionString, options: schema ? `-c search_path="${schema}"` : undefined });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_ID]);
    await client.query(CREATE_LEDGER);
    const { rows } = await client.query<AppliedMigration>('SELECT "name", "checksum" FROM "_waypost_migrations"');
    const pending = pendingMigrations(all, rows);
    for (const migration of pending) {
      await client.query("BEGIN");
      try {
        await client.query(schema ? withoutPublicSchema(migration.sql) : migration.sql);
        await client.query('INSERT INTO "_waypost_migrations" ("name", "checksum", "appliedAt") VALUES ($1, $2, $3)', [
          migration.name,
          migration.checksum,
          new Date().toISOString(),
        ]);
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw new Error(
          `migration ${migration.name} failed: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
    return pending.map((migration) => migration.name);
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_ID]).catch(() => undefined);
    await client.end();
  }
}

// Prisma writes `CREATE SCHEMA IF NOT EXISTS "public"`; a database living in its own schema skips it.
function withoutPublicSchema(sql: string): string {
  return sql.replace(/CREATE SCHEMA IF NOT EXISTS "public";/g, "");
}
