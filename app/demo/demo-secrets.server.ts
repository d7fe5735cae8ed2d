import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { DemoSecrets } from "../env.server";

/**
 * Demo mode has no real credentials, but it still signs session tokens and encrypts tokens at
 * rest. Its secrets are random per installation and kept beside the demo database, so a restart
 * keeps working data and no secret ever sits in the repository.
 */
export function loadDemoSecrets(databaseUrl: string): DemoSecrets {
  const path = demoSecretsPath(databaseUrl);
  if (existsSync(path)) return JSON.parse(readFileSync(path, "utf8")) as DemoSecrets;

  const secrets: DemoSecrets = {
    shopifyApiSecret: randomBytes(32).toString("hex"),
    encryptionKey: randomBytes(32).toString("hex"),
    klaviyoClientSecret: randomBytes(24).toString("hex"),
  };
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileSync(path, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  chmodSync(path, 0o600);
  return secrets;
}

function demoSecretsPath(databaseUrl: string): string {
  if (databaseUrl.startsWith("file:")) {
    const databaseFile = resolve(databaseUrl.slice("file:".length));
    return join(dirname(databaseFile), "demo-secrets.json");
  }
  return resolve("data", "demo-secrets.json");
}
