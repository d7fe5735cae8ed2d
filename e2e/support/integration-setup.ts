import { afterAll, beforeAll } from "vitest";
import { createTestDatabase, type TestDatabase, type TestDatabaseKind } from "./test-database";
import { testAppEnv } from "./test-config";

// Runs before each integration test file: its own fresh database of the project's kind.
const kind = (process.env.WAYPOST_TEST_DATABASE ?? "sqlite") as TestDatabaseKind;
let database: TestDatabase;

Object.assign(process.env, testAppEnv);

beforeAll(async () => {
  database = await createTestDatabase(kind);
  process.env.DATABASE_URL = database.url;
  globalThis.waypostPrisma = undefined;
});

afterAll(async () => {
  await globalThis.waypostPrisma?.$disconnect();
  globalThis.waypostPrisma = undefined;
  await database?.drop();
});
