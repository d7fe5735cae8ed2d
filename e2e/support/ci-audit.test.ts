import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";

// .ci/run prints the runtime dependency audit and goes on, whatever the registry answers.
let fakeBin: string | undefined;
afterEach(() => fakeBin && rmSync(fakeBin, { recursive: true, force: true }));

/** Runs .ci/audit with an `npm` that prints `output` and exits with `status`. */
function audit(output: string, status: number) {
  fakeBin = mkdtempSync(join(tmpdir(), "waypost-fake-npm-"));
  writeFileSync(join(fakeBin, "npm"), `#!/bin/sh\ncat <<'OUT'\n${output}\nOUT\nexit ${status}\n`);
  chmodSync(join(fakeBin, "npm"), 0o755);
  const run = spawnSync(join(process.cwd(), ".ci", "audit"), {
    env: { ...process.env, PATH: `${fakeBin}:${process.env.PATH}` },
    encoding: "utf8",
  });
  return { status: run.status, stdout: run.stdout };
}

describe(".ci/audit", () => {
  it("is run by CI before the tests", () => {
    expect(readFileSync(join(process.cwd(), ".ci", "run"), "utf8")).toMatch(/^\.ci\/audit$/m);
  });

  it("says plainly when the registry refuses the audit, and does not fail", () => {
    const refused = audit(
      "npm warn audit 405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk\nnpm error audit endpoint returned an error",
      1,
    );
    expect(refused.status).toBe(0);
    expect(refused.stdout).toContain("npm audit could not run here");
    expect(refused.stdout).toContain("405 Method Not Allowed");
  });

  it("prints what the audit finds, and does not fail", () => {
    const found = audit("turbo-stream  2.4.1\nSeverity: high\n1 high severity vulnerability", 1);
    expect(found.status).toBe(0);
    expect(found.stdout).toContain("1 high severity vulnerability");
    expect(found.stdout).toContain("reports advisories");
    expect(audit("found 0 vulnerabilities", 0)).toEqual({ status: 0, stdout: "found 0 vulnerabilities\n" });
  });
});

describe("runtime dependencies with reported advisories", () => {
  it("keeps Remix's single fetch off: the only path that reaches turbo-stream 2.4.1 (CVE-2026-34077, no fixed 2.x)", async () => {
    const { default: config } = (await import(join(process.cwd(), "remix.config.js"))) as {
      default: { future?: Record<string, boolean> };
    };
    expect(config.future?.v3_singleFetch ?? false).toBe(false);
  });
});
