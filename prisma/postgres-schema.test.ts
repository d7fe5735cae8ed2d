import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { postgresSchemaFrom } from "./postgres-schema";

describe("the Postgres schema", () => {
  it("is exactly what `npm run db:generate` makes from the SQLite source (run it after editing the schema)", () => {
    const source = readFileSync("prisma/schema.prisma", "utf8");
    expect(readFileSync("prisma/postgres/schema.prisma", "utf8")).toBe(postgresSchemaFrom(source));
  });

  it("differs from the source only in provider and client location", () => {
    const generated = postgresSchemaFrom(
      'generator client {\n  provider        = "prisma-client-js"\n  engineType      = "client"\n}\n\ndatasource db {\n  provider = "sqlite"\n}\n',
    );
    expect(generated).toContain('provider = "postgresql"');
    expect(generated).toContain('output          = "../../node_modules/.prisma/client-postgres"');
    expect(generated).not.toContain("sqlite");
  });
});
