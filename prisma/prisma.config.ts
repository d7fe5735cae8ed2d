import { defineConfig } from "prisma/config";
import { createDatabaseAdapter, databaseProvider } from "../app/db/adapter.server";
import { readDatabaseUrl } from "../app/env.server";

// Prisma's CLI runs on its WASM schema engine through our driver adapter, so nothing is
// downloaded. DATABASE_URL picks the schema: SQLite (default) or its generated Postgres twin.
const databaseUrl = readDatabaseUrl();
const schema = databaseProvider(databaseUrl) === "postgresql" ? "postgres/schema.prisma" : "schema.prisma";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema, // relative to this file
  adapter: async () => createDatabaseAdapter(databaseUrl),
});
