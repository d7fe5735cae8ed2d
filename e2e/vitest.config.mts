// Vitest for the whole project: the unit tests beside app/ code, the integration tests (SQLite and
// PostgreSQL) and the doubles' tests. It lives here because the project's top level is fixed.
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const integration = (database: "sqlite" | "postgres") => ({
  extends: true as const,
  test: {
    name: `integration:${database}`,
    include: [
      "app/**/*.integration.test.ts",
      "prisma/**/*.integration.test.ts",
      // Checks that only one database can have: PostgreSQL's processes, SQLite's file on disk.
      ...(database === "postgres" ? ["app/**/*.postgres.test.ts", "prisma/**/*.postgres.test.ts"] : []),
      ...(database === "sqlite" ? ["app/**/*.sqlite.test.ts"] : []),
    ],
    setupFiles: ["e2e/support/integration-setup.ts"],
    env: { WAYPOST_TEST_DATABASE: database },
    testTimeout: 30_000,
    // As the browser tests do in CI: one retry for the integration tests, which run real
    // processes and timers on a shared 2-core machine. A test that fails twice still fails.
    retry: process.env.CI ? 1 : 0,
    hookTimeout: 60_000,
  },
});

export default defineConfig({
  root: fileURLToPath(new URL("..", import.meta.url)),
  test: {
    pool: "forks",
    // Two test files at a time (Vitest's default on two cores is one): most integration tests wait
    // on a double, a database or a child process, and one at a time the suite outgrew CI's 30 minutes.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["app/**/*.test.{ts,tsx}", "prisma/**/*.test.ts", "e2e/support/**/*.test.ts"],
          exclude: ["**/*.integration.test.ts", "**/*.postgres.test.ts", "**/*.sqlite.test.ts", "**/node_modules/**"],
          env: { LOG_LEVEL: "silent" },
        },
      },
      integration("sqlite"),
      integration("postgres"),
    ],
  },
});
