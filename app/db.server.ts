import { createRequire } from "node:module";
import { PrismaClient } from "@prisma/client";
import type pg from "pg";
import {
  createDatabaseAdapter,
  databaseProvider,
  PostgresKeepingItsPool,
  SqliteKeepingItsConnection,
} from "./db/adapter.server";
import { env } from "./env.server";

// Resolved from the project root so this works in the CJS server build and under vitest alike.
const requireFromProject = createRequire(`${process.cwd()}/`);

declare global {
  var waypostPrisma: PrismaClient | undefined;
}

/**
 * One Prisma client per process. Both providers share one set of models, so the Postgres
 * client (generated from the twin schema) is used through the SQLite client's types.
 */
export function createPrismaClient(databaseUrl: string): PrismaClient {
  const adapter = createDatabaseAdapter(databaseUrl);
  if (adapter instanceof PostgresKeepingItsPool) {
    const { PrismaClient: PostgresClient } = requireFromProject(".prisma/client-postgres") as {
      PrismaClient: typeof PrismaClient;
    };
    const client = new PostgresClient({ adapter });
    postgresAdapters.set(client, adapter);
    return client;
  }
  const client = new PrismaClient({ adapter });
  sqliteAdapters.set(client, adapter);
  return client;
}

const postgresAdapters = new WeakMap<PrismaClient, PostgresKeepingItsPool>();
const sqliteAdapters = new WeakMap<PrismaClient, SqliteKeepingItsConnection>();

/** The node-postgres pool this process's Prisma client is connected with (PostgreSQL only). */
export async function postgresPool(): Promise<pg.Pool> {
  const client = getPrisma();
  const adapter = postgresAdapters.get(client);
  if (!adapter) throw new Error("postgresPool() is for PostgreSQL only");
  if (!adapter.pool || adapter.pool.ended) await client.$connect();
  return adapter.pool!;
}

/** The better-sqlite3 connection this process's Prisma client is connected with (SQLite only). */
export async function sqliteConnection(): Promise<SqliteKeepingItsConnection> {
  const client = getPrisma();
  const adapter = sqliteAdapters.get(client);
  if (!adapter) throw new Error("sqliteConnection() is for SQLite only");
  if (!adapter.database?.open) await client.$connect();
  return adapter;
}

export function getPrisma(): PrismaClient {
  globalThis.waypostPrisma ??= createPrismaClient(env.databaseUrl);
  return globalThis.waypostPrisma;
}

export const prisma = new Proxy({} as PrismaClient, {
  get(_target, property) {
    const client = getPrisma();
    const value = Reflect.get(client, property);
    return typeof value === "function" ? value.bind(client) : value;
  },
});

/**
 * After personal data is erased: SQLite's write-ahead log still holds the pages as they were
 * until a checkpoint, so this one moves them into the main file (where secure_delete has zeroed
 * what was deleted) and empties the log. PostgreSQL keeps dead rows until autovacuum reuses them.
 */
export async function flushErasedData() {
  if (databaseProvider(env.databaseUrl) !== "sqlite") return;
  await prisma.$queryRawUnsafe("PRAGMA wal_checkpoint(TRUNCATE)");
}

export default prisma;
