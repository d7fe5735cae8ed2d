import { afterAll, beforeAll } from "vitest";
import { createTestDatabase, type TestDatabase, type TestDatabaseKind } from "./test-database";
import { testAppEnv } from "./test-config";

// Runs before each integration test file: its own fresh database of the project's kind.
const kind = (process.env.WAYPOST_TEST_DATABASE ?? "sqlite") as TestDatabaseKind;
let database: TestDatabase;

// No test reaches Shopify: until a test starts the Admin API stand-in, a lookup (a product's
// image, a store's details) is refused at once by a closed local port.
Object.assign(process.env, { SHOPIFY_ADMIN_API_URL: "http://127.0.0.1:9" }, testAppEnv);

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
