import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { resolveEnv } from "../env.server";
import { loadDemoSecrets } from "./demo-secrets.server";

const demoDatabase = () => `file:${join(mkdtempSync(join(tmpdir(), "waypost-env-")), "demo.sqlite")}`;

describe("demo secrets", () => {
  it("keeps demo secrets random, private to the owner and stable across restarts", () => {
    const databaseUrl = demoDatabase();
    const first = resolveEnv({ DATABASE_URL: databaseUrl }, { loadDemoSecrets });
    const second = resolveEnv({ DATABASE_URL: databaseUrl }, { loadDemoSecrets });
    expect(second.shopifyApiSecret).toBe(first.shopifyApiSecret);
    expect(resolveEnv({ DATABASE_URL: demoDatabase() }, { loadDemoSecrets }).shopifyApiSecret).not.toBe(
      first.shopifyApiSecret,
    );
    const secretsFile = join(databaseUrl.slice("file:".length), "..", "demo-secrets.json");
    expect(statSync(secretsFile).mode & 0o077).toBe(0);
    expect(JSON.parse(readFileSync(secretsFile, "utf8")).shopifyApiSecret).toBe(first.shopifyApiSecret);
  });
});
