import { mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { keepSqliteFilesPrivate } from "./adapter.server";

const mode = (path: string) => statSync(path).mode & 0o777;
let scratch: string;

afterEach(() => rmSync(scratch, { recursive: true, force: true }));

describe("SQLite files at rest", () => {
  it("creates the data folder for its owner only (0700) and every database file 0600, WAL included", () => {
    scratch = mkdtempSync(join(tmpdir(), "waypost-at-rest-"));
    const file = join(scratch, "data", "waypost.sqlite");

    keepSqliteFilesPrivate(file);
    const database = new Database(file);
    database.pragma("journal_mode = WAL");
    database.exec("CREATE TABLE t (x TEXT); INSERT INTO t VALUES ('a')");

    expect(mode(join(scratch, "data"))).toBe(0o700);
    expect([file, `${file}-wal`, `${file}-shm`].map(mode)).toEqual([0o600, 0o600, 0o600]);
    database.close();
  });

  it("makes an existing world-readable database private, but leaves a folder it did not create alone", () => {
    scratch = mkdtempSync(join(tmpdir(), "waypost-at-rest-"));
    const folder = join(scratch, "chosen");
    mkdirSync(folder, { mode: 0o755 });
    const file = join(folder, "waypost.sqlite");
    new Database(file).close();
    expect(mode(file) & 0o044).not.toBe(0);

    keepSqliteFilesPrivate(file);

    expect(mode(file)).toBe(0o600);
    expect(mode(folder)).toBe(0o755);
  });
});
