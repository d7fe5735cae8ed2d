import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { prismaCli, TARGETS, type Target } from "./migrations-tool";
import { postgresSchemaFrom } from "./postgres-schema";

// Writes the Postgres twin of the schema, then generates a client for each provider.
mkdirSync("prisma/postgres", { recursive: true });
writeFileSync(TARGETS.postgres.schema, postgresSchemaFrom(readFileSync(TARGETS.sqlite.schema, "utf8")));

for (const target of Object.keys(TARGETS) as Target[]) {
  prismaCli(target, ["generate"]);
  console.log(`prisma client generated for ${target}`);
}
