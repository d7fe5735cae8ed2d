import { applyMigrations } from "../app/db/migrate.server";
import { readDatabaseUrl } from "../app/env.server";

// `npm run db:migrate`: what the app does at start-up, on its own.
applyMigrations(readDatabaseUrl()).then(
  (applied) => console.log(applied.length ? `applied ${applied.join(", ")}` : "database is up to date"),
  (error: Error) => {
    console.error(`migration failed: ${error.message}`);
    process.exit(1);
  },
);
