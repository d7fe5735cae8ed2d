import { createRequire } from "node:module";
import { PrismaClient } from "@prisma/client";
import { createDatabaseAdapter, databaseProvider } from "./db/adapter.server";
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
  if (databaseProvider(databaseUrl) === "postgresql") {
    const { PrismaClient: PostgresClient } = requireFromProject(".prisma/client-postgres") as {
      PrismaClient: typeof PrismaClient;
    };
    return new PostgresClient({ adapter });
  }
  return new PrismaClient({ adapter });
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
