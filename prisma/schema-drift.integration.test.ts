import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { applyMigrations } from "../app/db/migrate.server";
import { readCatalog } from "../e2e/support/database-catalog";
import { createTestDatabase, type TestDatabaseKind } from "../e2e/support/test-database";
import { diffToCurrent, latestSnapshot, TARGETS } from "./migrations-tool";

const kind = (process.env.WAYPOST_TEST_DATABASE ?? "sqlite") as TestDatabaseKind;

describe(`${kind} migrations`, () => {
  it("end at the current schema: run `npm run db:new-migration -- <name>` after changing it", () => {
    expect(latestSnapshot(kind)).toBe(readFileSync(TARGETS[kind].schema, "utf8"));
  });

  it("build the same tables, columns and indexes as the schema describes", async () => {
    const migrated = await createTestDatabase(kind);
    const fromSchema = await createTestDatabase(kind, [{ name: "schema", sql: diffToCurrent(kind), checksum: "-" }]);
    try {
      const [actual, expected] = await Promise.all([readCatalog(migrated.url), readCatalog(fromSchema.url)]);
      expect(actual.columns.length).toBeGreaterThan(10);
      expect(actual).toEqual(expected);
    } finally {
      await migrated.drop();
      await fromSchema.drop();
    }
  }, 60_000);

  it("apply once: a second run, as on every restart, changes nothing", async () => {
    const database = await createTestDatabase(kind);
    try {
      expect(await applyMigrations(database.url)).toEqual([]);
    } finally {
      await database.drop();
    }
  });
});
