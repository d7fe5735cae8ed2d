import { describe, expect, it } from "vitest";
import { ownEntry } from "./own-entry";

describe("ownEntry", () => {
  const table = { denied: "Access was not allowed." };

  it("finds the table's own entries", () => {
    expect(ownEntry(table, "denied")).toBe("Access was not allowed.");
  });

  it("finds nothing every object inherits", () => {
    for (const key of ["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf", null, undefined])
      expect(ownEntry(table, key)).toBeUndefined();
  });
});
