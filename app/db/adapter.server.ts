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
    const { connectionString, schema } = postgresConnection(databaseUrl);
    return new PrismaPg(
      {
        connectionString,
        max: 10,
        application_name: "waypost",
        options: schema ? `-c search_path="${schema}"` : undefined,
      },
      schema ? { schema } : undefined,
    );
  }
  const file = sqliteFilePath(databaseUrl);
  mkdirSync(dirname(file), { recursive: true });
  return new PrismaBetterSQLite3({ url: `file:${file}`, timeout: 5000 });
}

export function sqliteFilePath(databaseUrl: string): string {
  return resolve(databaseUrl.slice("file:".length).replace(/\?.*$/, ""));
}

/** Splits Prisma's `?schema=` parameter off a Postgres URL; node-postgres does not know it. */
export function postgresConnection(databaseUrl: string) {
  const url = new URL(databaseUrl);
  const schema = url.searchParams.get("schema") ?? undefined;
  if (schema && !/^[a-z_][a-z0-9_]*$/i.test(schema)) throw new Error("DATABASE_URL schema must be a plain identifier");
  url.searchParams.delete("schema");
  return { connectionString: url.toString(), schema };
}
