import { describe, expect, it } from "vitest";
import { columnNames, readCatalog } from "../e2e/support/database-catalog";
import { createTestDatabase } from "../e2e/support/test-database";

// Runs in the PostgreSQL project only: it needs both databases.
describe("SQLite and Postgres", () => {
  it("have the same tables and columns", async () => {
    const sqlite = await createTestDatabase("sqlite");
    const postgres = await createTestDatabase("postgres");
    try {
      expect(columnNames(await readCatalog(postgres.url))).toEqual(columnNames(await readCatalog(sqlite.url)));
    } finally {
      await sqlite.drop();
      await postgres.drop();
    }
  });
});
