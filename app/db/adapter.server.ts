import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";

export type DatabaseProvider = "sqlite" | "postgresql";

export function databaseProvider(databaseUrl: string): DatabaseProvider {
  return databaseUrl.startsWith("file:") ? "sqlite" : "postgresql";
}

/** The driver adapter for a DATABASE_URL; Prisma's runtime and its CLI both go through this. */
export function createDatabaseAdapter(databaseUrl: string) {
  if (databaseProvider(databaseUrl) === "postgresql") {
    return new PrismaPg({ connectionString: databaseUrl, max: 10 });
  }
  const file = sqliteFilePath(databaseUrl);
  mkdirSync(dirname(file), { recursive: true });
  return new PrismaBetterSQLite3({ url: `file:${file}`, timeout: 5000 });
}

export function sqliteFilePath(databaseUrl: string): string {
  return resolve(databaseUrl.slice("file:".length).replace(/\?.*$/, ""));
}
