import { describe, expect, it } from "vitest";
import { pendingMigrations, readMigrations } from "./migrate.server";

const migration = (name: string, checksum = `sum-${name}`) => ({ name, sql: "", checksum });

describe("pendingMigrations", () => {
  it("runs, in order, only what has not been applied", () => {
    const all = [migration("1_init"), migration("2_add"), migration("3_more")];
    expect(pendingMigrations(all, [{ name: "1_init", checksum: "sum-1_init" }]).map((m) => m.name)).toEqual([
      "2_add",
      "3_more",
    ]);
  });

  it("refuses to go on when an applied migration was edited", () => {
    expect(() => pendingMigrations([migration("1_init", "new")], [{ name: "1_init", checksum: "old" }])).toThrow(
      /1_init was changed after it was applied/,
    );
  });

  it("finds the same migrations, by name, for both providers", () => {
    const names = (provider: "sqlite" | "postgresql") => readMigrations(provider).map((m) => m.name);
    expect(names("sqlite").length).toBeGreaterThan(0);
    expect(names("postgresql")).toEqual(names("sqlite"));
  });
});
