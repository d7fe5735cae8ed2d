import { execFileSync } from "node:child_process";
import { writeMigration, type Target } from "./migrations-tool";

// Usage: npm run db:new-migration -- add_delivery_table
const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("Give the migration a snake_case name: npm run db:new-migration -- add_delivery_table");
  process.exit(1);
}
execFileSync(process.execPath, ["node_modules/tsx/dist/cli.mjs", "prisma/generate.ts"], { stdio: "inherit" });
const timestamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
for (const target of ["sqlite", "postgres"] as Target[]) {
  const folder = writeMigration(target, name, timestamp);
  console.log(folder ? `wrote ${folder}` : `${target}: schema unchanged, no migration written`);
}
