import { createHash, randomBytes } from "node:crypto";
import type { ConsentEvent, DoubleWebhook } from "./consent-routes";
import { RateWindows } from "./rate-windows";

export interface DoubleAccount {
  id: string;
  name: string;
  privateKeys: string[];
  timezone: string;
}

export interface OAuthClient {
  clientId: string;
  clientSecret: string;
}

export interface IssuedToken {
  accessToken: string;
  refreshToken: string;
  accountId: string;
  clientId: string;
  scopes: string[];
  accessExpiresAt: number;
  revoked: boolean;
}

export interface ReceivedEvent {
  accountId: string;
  metric: string;
  profile: Record<string, unknown>;
  properties: Record<string, unknown>;
  uniqueId?: string;
  time?: string;
  value?: number;
  receivedAt: string;
  via: "events" | "bulk";
  /** Sent with backfill: true — recorded in the profile's history without triggering flows. */
  backfill?: boolean;
}

export interface Faults {
  /** Share of API requests (0..1) answered 500. */
  errorRate: number;
  /** Delay added to every API request. */
  latencyMs: number;
  /** Share of API requests answered 429 with Retry-After: 1. */
  rateLimitRate?: number;
  /** Share of API requests that take `slowMs` longer. */
  slowRate?: number;
  slowMs?: number;
  /** Share of accepted events whose answer is lost: recorded, but answered 500 (the case unique_id exists for). */
  lostAnswerRate?: number;
  /** Events with these unique_ids are refused with a 400, as Klaviyo refuses data it cannot take. */
  refusedUniqueIds?: string[];
  /** Delay added to every API request of these accounts (by account id): a slow tenant. */
  slowAccounts?: Record<string, number>;
  /** The next `remaining` API requests get this status (401, 429, 500, ...). */
  forced?: { status: number; remaining: number; retryAfterSeconds?: number };
  /**
   * Accounts throttled until this time (epoch ms), as Klaviyo throttles once a window is spent:
   * every request of theirs before then is answered 429 with the seconds still to wait.
   */
  throttledUntil?: Record<string, number>;
}

/** One authenticated API request as the double answered it, for benchmarks that count at Klaviyo's side. */
export interface ObservedRequest {
  accountId: string;
  endpoint: string;
  /** When the request arrived (epoch ms), before any injected latency. */
  arrivedAt: number;
  /** When its answer was written (epoch ms). */
  answeredAt: number;
  status: number;
  retryAfterSeconds?: number;
}

/** The integration a metric came in through, as Get Metrics shows it (`attributes.integration`). */
export interface DoubleIntegration {
  object: "integration";
  id: string;
  key: string;
  name: string;
  category: string;
}

/** Events sent through the API (a private key or an OAuth app) land in metrics of this integration. */
export const API_INTEGRATION: DoubleIntegration = {
  object: "integration",
  id: "7FtS4J",
  key: "api",
  name: "API",
  category: "API",
};

/** Klaviyo's own Shopify integration, whose metrics (Placed Order, Ordered Product, ...) Waypost must not shadow. */
export const SHOPIFY_INTEGRATION: DoubleIntegration = {
  object: "integration",
  id: "0eMvjm",
  key: "shopify",
  name: "Shopify",
  category: "eCommerce",
};

/**
 * Klaviyo's own metrics, as Get Metrics names their integration: its consent metrics (Unsubscribed
 * from Email Marketing, ...) and its onsite tracking's (klaviyo.js: Active on Site, Viewed Product),
 * which Waypost's pixel must not double.
 */
export const KLAVIYO_INTEGRATION: DoubleIntegration = {
  object: "integration",
  id: "0rG4eQ",
  key: "klaviyo",
  name: "Klaviyo",
  category: "Internal",
};

/** A metric another integration created in an account (tests and the demo seed these). */
export interface SeededMetric {
  accountId: string;
  name: string;
  integration: DoubleIntegration;
}

/** A flow in an account, triggered by the metric of that name from that integration. */
export interface DoubleFlow {
  id: string;
  accountId: string;
  name: string;
  status: "live" | "draft" | "manual";
  archived?: boolean;
  triggerMetric: string;
  triggerIntegration?: DoubleIntegration;
}

/** Klaviyo's metric ids are short and stable per account, integration and name. */
export const metricIdOf = (accountId: string, integration: DoubleIntegration, name: string) =>
  createHash("sha256").update(`${accountId}|${integration.key}|${name}`).digest("base64url").slice(0, 6);

export const newToken = () => randomBytes(24).toString("base64url");
export const s256 = (verifier: string) => createHash("sha256").update(verifier).digest("base64url");

/** The identifiers an event's profile carries, each as Klaviyo resolves it (an email by itself, lower-cased). */
function profileIdentifiers(profile: Record<string, unknown>): string[] {
  const ids: string[] = [];
  for (const field of ["email", "phone_number", "external_id", "anonymous_id", "_kx"] as const) {
    const value = profile[field];
    if (typeof value === "string" && value) ids.push(field === "email" ? value.toLowerCase() : `${field}:${value}`);
  }
  return ids;
}

/** Everything the double knows; tests read it through /_double/state or directly in-process. */
export class DoubleState {
  accounts: DoubleAccount[];
  clients: OAuthClient[];
  codes = new Map<
    string,
    { clientId: string; redirectUri: string; challenge: string; scopes: string[]; accountId: string; expiresAt: number }
  >();
  tokens: IssuedToken[] = [];
  events: ReceivedEvent[] = [];
  // Klaviyo's dedup key of every recorded event, so a 250k-event backfill is checked in O(1) each.
  private recordedKeys = new Set<string>();
  duplicatesIgnored = 0;
  profiles = new Map<string, Record<string, unknown>>();
  /** Every profile import received, in order (a resend of the same change shows here twice). */
  profileImports: Array<{
    accountId: string;
    profileId: string;
    attributes: Record<string, unknown>;
    receivedAt: string;
  }> = [];
  /** Every profile merge done (Merge Profiles), in order: the source is gone, merged into the destination. */
  profileMerges: Array<{ accountId: string; destinationId: string; sourceId: string }> = [];
  seededMetrics: SeededMetric[] = [];
  flows: DoubleFlow[] = [];
  /** Webhooks registered through the Webhooks API, and the unsubscribes made in the account. */
  webhooks: DoubleWebhook[] = [];
  consentEvents: ConsentEvent[] = [];
  rateWindows = new RateWindows();
  faults: Faults = { errorRate: 0, latencyMs: 0 };
  accessTokenLifetimeSeconds = 3600;
  /** Called for every authenticated API request once it is answered (benchmarks count requests here). */
  observe?: (request: ObservedRequest) => void;
  // Private key -> account, kept beside `accounts` so 9,000 accounts cost one lookup per request.
  private keyIndex = new Map<string, DoubleAccount>();
  private indexedAccounts = 0;

  constructor(accounts: DoubleAccount[], clients: OAuthClient[]) {
    this.accounts = accounts;
    this.clients = clients;
  }

  account(id: string) {
    return this.accounts.find((account) => account.id === id);
  }

  /** The account a request's Authorization header speaks for, if any. */
  authenticate(header: string | undefined, now = Date.now()): DoubleAccount | undefined {
    if (!header) return undefined;
    const bearer = /^Bearer (.+)$/.exec(header)?.[1];
    if (bearer) {
      const token = this.tokens.find((candidate) => candidate.accessToken === bearer);
      return token && !token.revoked && token.accessExpiresAt > now ? this.account(token.accountId) : undefined;
    }
    const key = /^Klaviyo-API-Key (.+)$/.exec(header)?.[1];
    if (!key) return undefined;
    // Accounts are only ever appended (or truncated by tests): rebuild when the list changed.
    if (this.indexedAccounts !== this.accounts.length) {
      this.keyIndex = new Map(this.accounts.flatMap((account) => account.privateKeys.map((k) => [k, account])));
      this.indexedAccounts = this.accounts.length;
    }
    const account = this.keyIndex.get(key);
    if (account?.privateKeys.includes(key)) return account;
    return this.accounts.find((candidate) => candidate.privateKeys.includes(key));
  }

  /** The scopes a request's credential was granted; a private key has every scope. */
  scopesOf(header: string | undefined): string[] | "all" {
    const bearer = /^Bearer (.+)$/.exec(header ?? "")?.[1];
    if (!bearer) return "all";
    return this.tokens.find((candidate) => candidate.accessToken === bearer)?.scopes ?? [];
  }

  /**
   * The account's metrics, as Klaviyo keeps them: one per integration and name, created by the
   * first event that arrives (API events) or by another integration (seeded), oldest first.
   */
  metricsOf(accountId: string) {
    const metrics = new Map<string, { id: string; name: string; integration: DoubleIntegration; created: string }>();
    const add = (name: string, integration: DoubleIntegration, created: string) => {
      const id = metricIdOf(accountId, integration, name);
      if (!metrics.has(id)) metrics.set(id, { id, name, integration, created });
    };
    for (const seeded of this.seededMetrics.filter((metric) => metric.accountId === accountId))
      add(seeded.name, seeded.integration, "2025-01-01T00:00:00+00:00");
    for (const event of this.events.filter((received) => received.accountId === accountId))
      add(event.metric, API_INTEGRATION, event.receivedAt);
    for (const event of this.consentEvents.filter((made) => made.accountId === accountId))
      add(event.metric, KLAVIYO_INTEGRATION, event.datetime);
    return [...metrics.values()];
  }

  /** Records an event once per profile, metric and unique_id, as Klaviyo does. */
  recordEvent(event: ReceivedEvent): "recorded" | "duplicate" {
    const identity = String(
      event.profile.email ?? event.profile.phone_number ?? event.profile.external_id ?? event.profile.id,
    );
    if (event.uniqueId) {
      const key = JSON.stringify([event.accountId, event.metric, event.uniqueId, identity]);
      if (this.recordedKeys.has(key)) {
        this.duplicatesIgnored++;
        return "duplicate";
      }
      this.recordedKeys.add(key);
    }
    this.events.push(event);
    return "recorded";
  }

  /**
   * Every event of the person an identifier names, after Klaviyo's identity resolution: an event
   * whose profile carries two identifiers (an onsite anonymous_id with the email given at login,
   * say) joins the profiles they name, so a guest's earlier events become the customer's.
   */
  eventsOfPerson(accountId: string, identifier: string): ReceivedEvent[] {
    const events = this.events.filter((event) => event.accountId === accountId);
    const person = new Set([identifier]);
    for (let grew = true; grew;) {
      grew = false;
      for (const event of events) {
        const ids = profileIdentifiers(event.profile);
        if (!ids.some((id) => person.has(id)) || ids.every((id) => person.has(id))) continue;
        for (const id of ids) person.add(id);
        grew = true;
      }
    }
    return events.filter((event) => profileIdentifiers(event.profile).some((id) => person.has(id)));
  }

  reset() {
    this.codes.clear();
    this.tokens = [];
    this.events = [];
    this.recordedKeys.clear();
    this.duplicatesIgnored = 0;
    this.profiles.clear();
    this.profileImports = [];
    this.profileMerges = [];
    this.seededMetrics = [];
    this.flows = [];
    this.webhooks = [];
    this.consentEvents = [];
    this.rateWindows.reset();
    this.faults = { errorRate: 0, latencyMs: 0 };
  }

  summary() {
    return {
      accounts: this.accounts.map(({ id, name }) => ({ id, name })),
      tokens: this.tokens.map(({ accountId, clientId, scopes, revoked, accessExpiresAt }) => ({
        accountId,
        clientId,
        scopes,
        revoked,
        accessExpiresAt: new Date(accessExpiresAt).toISOString(),
      })),
      events: this.events.length,
      duplicatesIgnored: this.duplicatesIgnored,
      profiles: this.profiles.size,
      flows: this.flows.length,
      peaks: Object.fromEntries(this.rateWindows.peaks),
      faults: this.faults,
    };
  }
}
