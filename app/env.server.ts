import { z } from "zod";
import { DEFAULT_LANE_LIMITS, type LaneLimit } from "./config/lane-limits";

// The one place that reads process.env. Everything else imports `env`.

const DEFAULT_DATABASE_URL = "file:./data/waypost.sqlite";
const DEFAULT_SCOPES =
  "read_orders,read_fulfillments,read_merchant_managed_fulfillment_orders,read_assigned_fulfillment_orders,read_customers,write_customers,read_store_credit_accounts,read_customer_merge,write_pixels,read_customer_events";

const databaseUrl = z
  .string()
  .default(DEFAULT_DATABASE_URL)
  .refine((url) => url.startsWith("file:") || /^postgres(ql)?:\/\//.test(url), {
    message: "must be a file: URL (SQLite) or a postgres:// URL",
  });

const optionalText = z
  .string()
  .optional()
  .transform((value) => (value?.trim() ? value.trim() : undefined));

const encryptionKey = z.string().refine((key) => decodeKey(key)?.length === 32, {
  message: "must be 32 bytes, written as 64 hex characters or base64",
});

// "315/3150": sends per second / per minute for one Klaviyo account.
const laneRate = (fallback: LaneLimit) =>
  z
    .string()
    .optional()
    .transform((value, context): LaneLimit => {
      if (!value) return fallback;
      const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(value);
      if (!match || Number(match[1]) < 1 || Number(match[2]) < 1) {
        context.addIssue({ code: "custom", message: 'must look like "315/3150" (per second/per minute)' });
        return z.NEVER;
      }
      return { perSecond: Number(match[1]), perMinute: Number(match[2]) };
    });

const rawEnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: databaseUrl,
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  SHOPIFY_API_KEY: optionalText,
  SHOPIFY_API_SECRET: optionalText,
  SHOPIFY_APP_URL: z.string().url().optional(),
  SCOPES: z.string().min(1).default(DEFAULT_SCOPES),
  KLAVIYO_CLIENT_ID: optionalText,
  KLAVIYO_CLIENT_SECRET: optionalText,
  KLAVIYO_API_URL: z.string().url().optional(),
  KLAVIYO_AUTHORIZE_URL: z.string().url().optional(),
  // Where Shopify's Admin API is reached; unset means each shop's own https://{shop}.
  SHOPIFY_ADMIN_API_URL: z.string().url().optional(),
  KLAVIYO_REVISION: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}(\.\w+)?$/, "must look like 2026-07-15")
    .default("2026-07-15"),
  ENCRYPTION_KEY: encryptionKey.optional(),
  WAYPOST_DEMO: z.enum(["0", "1", "true", "false"]).optional(),
  WEBHOOK_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(1024 * 1024),
  // Every other route's body limit; an admin form or a sign-in is a few KB.
  REQUEST_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(64 * 1024),
  // Open sockets one process accepts (each costs ~35 KB); past it, new connections are closed.
  MAX_CONNECTIONS: z.coerce.number().int().min(10).default(1000),
  SHIPMENT_DELAY_DAYS: z.coerce.number().min(0.5).max(60).default(4),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
  KLAVIYO_EVENTS_RATE: laneRate(DEFAULT_LANE_LIMITS.events),
  KLAVIYO_PROFILES_RATE: laneRate(DEFAULT_LANE_LIMITS.profiles),
  KLAVIYO_BULK_RATE: laneRate(DEFAULT_LANE_LIMITS.bulk),
  KLAVIYO_METRICS_RATE: laneRate(DEFAULT_LANE_LIMITS.metrics),
  KLAVIYO_AGGREGATES_RATE: laneRate(DEFAULT_LANE_LIMITS.aggregates),
  KLAVIYO_WEBHOOKS_RATE: laneRate(DEFAULT_LANE_LIMITS.webhooks),
  KLAVIYO_CONSENT_RATE: laneRate(DEFAULT_LANE_LIMITS.consent),
  KLAVIYO_MERGES_RATE: laneRate(DEFAULT_LANE_LIMITS.merges),
  WORKER_LEASE_SECONDS: z.coerce.number().min(1).max(3600).default(60),
  HISTORY_RETENTION_DAYS: z.coerce.number().int().min(7).max(3650).default(90),
  STOREFRONT_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  // How often each shop's orders updated since its last check are read from Shopify (missed webhooks).
  // A period the schedulers can keep aligned (a cron slot on PostgreSQL): a divisor of an hour, or whole hours dividing a day.
  RECONCILIATION_EVERY_MINUTES: z.coerce
    .number()
    .int()
    .refine((minutes) => (minutes >= 1 && 60 % minutes === 0) || (minutes % 60 === 0 && 1440 % minutes === 0), {
      message: "must divide an hour (e.g. 15, 30) or be whole hours dividing a day (e.g. 60, 360)",
    })
    .default(30),
});

export type Env = ReturnType<typeof resolveEnv>;

/** What demo mode signs and encrypts with, random per installation (see demo/demo-secrets.server.ts). */
export interface DemoSecrets {
  shopifyApiSecret: string;
  encryptionKey: string;
  klaviyoClientSecret: string;
}

export interface EnvOptions {
  /**
   * Loads the demo's secrets, which live beside its database; called only in demo mode. The
   * process entry passes it in, so this module itself reads no files.
   */
  loadDemoSecrets?: (databaseUrl: string) => DemoSecrets;
}

export class EnvError extends Error {
  constructor(
    readonly variable: string,
    detail: string,
  ) {
    super(`${variable} ${detail}`);
    this.name = "EnvError";
  }
}

/**
 * Validates the environment and fills in what demo mode provides. Demo mode is the embedded
 * default: it is on when no Shopify credentials are configured, and it can never be combined
 * with real credentials.
 */
export function resolveEnv(source: Record<string, string | undefined>, { loadDemoSecrets }: EnvOptions = {}) {
  const parsed = rawEnvSchema.safeParse(source);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new EnvError(
      String(issue.path[0]),
      issue.message.toLowerCase().startsWith("required") ? "is required" : issue.message,
    );
  }
  const raw = parsed.data;
  const hasShopifyCredentials = Boolean(raw.SHOPIFY_API_KEY || raw.SHOPIFY_API_SECRET);
  const demoRequested = raw.WAYPOST_DEMO === "1" || raw.WAYPOST_DEMO === "true";

  if (hasShopifyCredentials && demoRequested) {
    throw new EnvError("WAYPOST_DEMO", "cannot be on while SHOPIFY_API_KEY/SHOPIFY_API_SECRET are set");
  }
  const demo = !hasShopifyCredentials && raw.WAYPOST_DEMO !== "0" && raw.WAYPOST_DEMO !== "false";
  const appUrl = raw.SHOPIFY_APP_URL ?? `http://localhost:${raw.PORT}`;

  if (demo) {
    if (!loadDemoSecrets)
      throw new EnvError("WAYPOST_DEMO", "is on, and demo mode needs the secrets its process entry loads");
    const demoSecrets = loadDemoSecrets(raw.DATABASE_URL);
    return {
      ...common(raw, appUrl),
      demo: true as const,
      shopifyApiKey: "waypost-demo",
      shopifyApiSecret: demoSecrets.shopifyApiSecret,
      encryptionKey: decodeKey(raw.ENCRYPTION_KEY ?? demoSecrets.encryptionKey)!,
      // The demo talks to the local Klaviyo double, never to Klaviyo.
      klaviyoApiUrl: raw.KLAVIYO_API_URL ?? `http://127.0.0.1:${raw.PORT + 1}`,
      klaviyoAuthorizeUrl: raw.KLAVIYO_AUTHORIZE_URL ?? `http://127.0.0.1:${raw.PORT + 1}/oauth/authorize`,
      klaviyoClientId: raw.KLAVIYO_CLIENT_ID ?? "waypost-demo-client",
      klaviyoClientSecret: raw.KLAVIYO_CLIENT_SECRET ?? demoSecrets.klaviyoClientSecret,
      // The demo store's order history is served by a local stand-in, two ports up.
      shopifyAdminApiUrl: raw.SHOPIFY_ADMIN_API_URL ?? `http://127.0.0.1:${raw.PORT + 2}`,
    };
  }

  const required = (name: keyof typeof raw, value: string | undefined) => {
    if (!value) throw new EnvError(name, "is required when Shopify credentials are configured");
    return value;
  };
  return {
    ...common(raw, appUrl),
    demo: false as const,
    shopifyApiKey: required("SHOPIFY_API_KEY", raw.SHOPIFY_API_KEY),
    shopifyApiSecret: required("SHOPIFY_API_SECRET", raw.SHOPIFY_API_SECRET),
    encryptionKey: decodeKey(required("ENCRYPTION_KEY", raw.ENCRYPTION_KEY))!,
    klaviyoApiUrl: raw.KLAVIYO_API_URL ?? "https://a.klaviyo.com",
    klaviyoAuthorizeUrl: raw.KLAVIYO_AUTHORIZE_URL ?? "https://www.klaviyo.com/oauth/authorize",
    klaviyoClientId: raw.KLAVIYO_CLIENT_ID,
    klaviyoClientSecret: raw.KLAVIYO_CLIENT_SECRET,
    shopifyAdminApiUrl: raw.SHOPIFY_ADMIN_API_URL,
  };
}

function common(raw: z.infer<typeof rawEnvSchema>, appUrl: string) {
  return {
    nodeEnv: raw.NODE_ENV,
    databaseUrl: raw.DATABASE_URL,
    port: raw.PORT,
    appUrl: appUrl.replace(/\/$/, ""),
    scopes: raw.SCOPES.split(",")
      .map((scope) => scope.trim())
      .filter(Boolean),
    klaviyoRevision: raw.KLAVIYO_REVISION,
    webhookMaxBytes: raw.WEBHOOK_MAX_BYTES,
    requestMaxBytes: raw.REQUEST_MAX_BYTES,
    maxConnections: raw.MAX_CONNECTIONS,
    shipmentDelayDays: raw.SHIPMENT_DELAY_DAYS,
    logLevel: raw.LOG_LEVEL,
    laneLimits: {
      events: raw.KLAVIYO_EVENTS_RATE,
      profiles: raw.KLAVIYO_PROFILES_RATE,
      bulk: raw.KLAVIYO_BULK_RATE,
      metrics: raw.KLAVIYO_METRICS_RATE,
      aggregates: raw.KLAVIYO_AGGREGATES_RATE,
      webhooks: raw.KLAVIYO_WEBHOOKS_RATE,
      consent: raw.KLAVIYO_CONSENT_RATE,
      merges: raw.KLAVIYO_MERGES_RATE,
    },
    // A lease outlives any one Klaviyo request (10 s timeout) by a wide margin.
    workerLeaseMs: raw.WORKER_LEASE_SECONDS * 1000,
    historyRetentionDays: raw.HISTORY_RETENTION_DAYS,
    storefrontRetentionDays: raw.STOREFRONT_RETENTION_DAYS,
    reconciliationEveryMs: raw.RECONCILIATION_EVERY_MINUTES * 60_000,
  };
}

function decodeKey(key: string): Buffer | undefined {
  const trimmed = key.trim();
  if (/^[0-9a-f]{64}$/i.test(trimmed)) return Buffer.from(trimmed, "hex");
  const fromBase64 = Buffer.from(trimmed, "base64");
  return fromBase64.length === 32 ? fromBase64 : undefined;
}

/** Only the database URL, for tools (Prisma's CLI config) that must not need the rest. */
export function readDatabaseUrl(source: Record<string, string | undefined> = process.env): string {
  const parsed = databaseUrl.safeParse(source.DATABASE_URL);
  if (!parsed.success) throw new EnvError("DATABASE_URL", parsed.error.issues[0].message);
  return parsed.data;
}

let cached: Env | undefined;

/** The process's environment, resolved once; the process entry calls it first, with what only it can load. */
export function bootEnv(options: EnvOptions = {}): Env {
  cached ??= resolveEnv(process.env, options);
  return cached;
}

export function getEnv(): Env {
  return bootEnv();
}

export const env = new Proxy({} as Env, {
  get: (_target, property) => getEnv()[property as keyof Env],
});
