import { describe, expect, it } from "vitest";
import { EnvError, resolveEnv, type DemoSecrets } from "./env.server";

const realCredentials = {
  SHOPIFY_API_KEY: "key",
  SHOPIFY_API_SECRET: "secret",
  SHOPIFY_APP_URL: "https://waypost.example.com",
  ENCRYPTION_KEY: "a".repeat(64),
};
const demoSecrets: DemoSecrets = {
  shopifyApiSecret: "s".repeat(64),
  encryptionKey: "b".repeat(64),
  klaviyoClientSecret: "c".repeat(48),
};
const loadDemoSecrets = () => demoSecrets;

function errorFor(source: Record<string, string | undefined>): EnvError {
  try {
    resolveEnv(source);
  } catch (error) {
    if (error instanceof EnvError) return error;
    throw error;
  }
  throw new Error("expected resolveEnv to refuse this environment");
}

describe("environment", () => {
  it("starts in demo mode with no configuration at all, on SQLite and the local Klaviyo double", () => {
    const env = resolveEnv({ DATABASE_URL: "file:./demo.sqlite" }, { loadDemoSecrets });
    expect(env.demo).toBe(true);
    expect(env.klaviyoApiUrl).toBe("http://127.0.0.1:3001");
    expect(env.encryptionKey).toHaveLength(32);
    expect(env.shopifyApiSecret).toBe(demoSecrets.shopifyApiSecret);
  });

  it("reads no file itself: demo mode without the secrets its process entry loads names WAYPOST_DEMO", () => {
    expect(errorFor({ DATABASE_URL: "file:./demo.sqlite" }).variable).toBe("WAYPOST_DEMO");
  });

  it("defaults the database to a SQLite file under data/", () => {
    expect(resolveEnv(realCredentials).databaseUrl).toBe("file:./data/waypost.sqlite");
  });

  it("refuses to turn on demo mode while real Shopify credentials are configured", () => {
    const error = errorFor({ ...realCredentials, WAYPOST_DEMO: "1" });
    expect(error.variable).toBe("WAYPOST_DEMO");
  });

  it("is not in demo mode once Shopify credentials are configured", () => {
    const env = resolveEnv(realCredentials);
    expect(env.demo).toBe(false);
    expect(env.klaviyoApiUrl).toBe("https://a.klaviyo.com");
    expect(env.klaviyoAuthorizeUrl).toBe("https://www.klaviyo.com/oauth/authorize");
  });

  it.each([
    ["SHOPIFY_API_SECRET", { ...realCredentials, SHOPIFY_API_SECRET: undefined }],
    ["ENCRYPTION_KEY", { ...realCredentials, ENCRYPTION_KEY: undefined }],
    ["ENCRYPTION_KEY", { ...realCredentials, ENCRYPTION_KEY: "too-short" }],
    ["DATABASE_URL", { ...realCredentials, DATABASE_URL: "mysql://localhost/waypost" }],
    ["PORT", { ...realCredentials, PORT: "eighty" }],
    ["KLAVIYO_API_URL", { ...realCredentials, KLAVIYO_API_URL: "not a url" }],
    ["KLAVIYO_REVISION", { ...realCredentials, KLAVIYO_REVISION: "latest" }],
    ["KLAVIYO_EVENTS_RATE", { ...realCredentials, KLAVIYO_EVENTS_RATE: "350 per second" }],
    ["KLAVIYO_BULK_RATE", { ...realCredentials, KLAVIYO_BULK_RATE: "0/100" }],
    ["RECONCILIATION_EVERY_MINUTES", { ...realCredentials, RECONCILIATION_EVERY_MINUTES: "0" }],
  ])("names %s when it is missing or malformed", (variable, source) => {
    const error = errorFor(source);
    expect(error.variable).toBe(variable);
    expect(error.message.startsWith(variable)).toBe(true);
    expect(error.message).not.toContain("\n");
  });

  it("reads per-account Klaviyo rates as per second/per minute, defaulting to ~90 % of Klaviyo's", () => {
    const env = resolveEnv({ ...realCredentials, KLAVIYO_EVENTS_RATE: "50/1200" });
    expect(env.laneLimits.events).toEqual({ perSecond: 50, perMinute: 1200 });
    expect(env.laneLimits.profiles).toEqual({ perSecond: 67, perMinute: 675 });
  });

  it("checks with Shopify for missed webhooks every 30 minutes unless told otherwise", () => {
    expect(resolveEnv(realCredentials).reconciliationEveryMs).toBe(30 * 60_000);
    expect(resolveEnv({ ...realCredentials, RECONCILIATION_EVERY_MINUTES: "10" }).reconciliationEveryMs).toBe(600_000);
  });

  it("accepts a base64 encryption key of 32 bytes", () => {
    const key = Buffer.alloc(32, 7).toString("base64");
    expect(resolveEnv({ ...realCredentials, ENCRYPTION_KEY: key }).encryptionKey).toEqual(Buffer.alloc(32, 7));
  });
});
