import type { MetricAggregateQuery, MetricAggregateResponse, MetricsPage } from "./account-metrics";
import type { EventsPage } from "./consent-webhooks";
import { errorDetail, errorId, retryAfterMs, type KlaviyoOutcome } from "./outcome";
import { profileImportBody, profileMergeBody } from "./profile";

export type KlaviyoCredential = { method: "oauth"; accessToken: string } | { method: "private_key"; apiKey: string };

export interface KlaviyoApiOptions {
  baseUrl: string;
  revision: string;
  credential: KlaviyoCredential;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** What Waypost reads of Get Accounts' answer. */
interface AccountAttributes {
  contact_information?: { organization_name?: string };
  timezone?: string;
  preferred_currency?: string;
}

export interface KlaviyoAccount {
  id: string;
  name: string;
  timezone?: string;
  currency?: string;
}

/**
 * A small typed client for Klaviyo's JSON:API, one method per thing Waypost asks of Klaviyo;
 * every call ends in a KlaviyoOutcome. The endpoints' paths live here and nowhere else.
 */
export class KlaviyoApi {
  constructor(private readonly options: KlaviyoApiOptions) {}

  /** Create Event: one event, with the body frozen when it was detected. */
  createEvent(body: unknown): Promise<KlaviyoOutcome<unknown>> {
    return this.request("POST", "/api/events", body);
  }

  /** Bulk Create Events: up to 1,000 events, grouped by profile (see bulkCreateEventsBody). */
  bulkCreateEvents(body: unknown): Promise<KlaviyoOutcome<unknown>> {
    return this.request("POST", "/api/event-bulk-create-jobs", body);
  }

  /** Create or Update Profile, with the attributes Waypost keeps for the customer. */
  importProfile(attributes: Record<string, unknown>): Promise<KlaviyoOutcome<unknown>> {
    return this.request("POST", "/api/profile-import", profileImportBody(attributes));
  }

  /** Merge Profiles: `sourceId` into `destinationId` (Klaviyo queues it and deletes the source). */
  mergeProfiles(destinationId: string, sourceId: string): Promise<KlaviyoOutcome<unknown>> {
    return this.request("POST", "/api/profile-merge", profileMergeBody(destinationId, sourceId));
  }

  /**
   * Get Metrics, one page (200 at most), each metric with its integration and the flows it
   * triggers (`include=flow-triggers`). `next` is the previous page's `links.next`, followed
   * only on Klaviyo's own origin.
   */
  getMetricsPage(next?: string): Promise<KlaviyoOutcome<MetricsPage>> {
    const first =
      "/api/metrics?include=flow-triggers&fields[metric]=name,integration&fields[flow]=name,status,archived";
    if (next && new URL(next, this.options.baseUrl).origin !== new URL(this.options.baseUrl).origin)
      return Promise.resolve({ ok: false, kind: "invalid", status: 0, detail: "Klaviyo's next page is elsewhere" });
    const url = next ? new URL(next, this.options.baseUrl) : undefined;
    return this.request("GET", url ? `${url.pathname}${url.search}` : first);
  }

  /** Query Metric Aggregates: one metric's measurements over a time range (see metricCountsQuery). */
  queryMetricAggregates(body: MetricAggregateQuery): Promise<KlaviyoOutcome<MetricAggregateResponse>> {
    return this.request("POST", "/api/metric-aggregates", body);
  }

  /** Create Webhook (webhooks:write): the body is consentWebhookBody's; Klaviyo answers 201 with the webhook's id. */
  createWebhook(body: unknown): Promise<KlaviyoOutcome<{ data?: { id?: string } }>> {
    return this.request("POST", "/api/webhooks", body);
  }

  /** Delete Webhook (webhooks:write): Klaviyo stops delivering to it. */
  deleteWebhook(id: string): Promise<KlaviyoOutcome<unknown>> {
    return this.request("DELETE", `/api/webhooks/${encodeURIComponent(id)}`);
  }

  /** Get Events, one page: `path` is unsubscribeEventsPath's, or the previous page's `links.next` (Klaviyo's origin only). */
  getEventsPage(path: string): Promise<KlaviyoOutcome<EventsPage>> {
    const url = new URL(path, this.options.baseUrl);
    if (url.origin !== new URL(this.options.baseUrl).origin)
      return Promise.resolve({ ok: false, kind: "invalid", status: 0, detail: "Klaviyo's next page is elsewhere" });
    return this.request("GET", `${url.pathname}${url.search}`);
  }

  /** Get Profile (profiles:read): the email and phone of a profile an unsubscribe names only by id. */
  getProfileContact(
    id: string,
  ): Promise<KlaviyoOutcome<{ data?: { attributes?: { email?: string | null; phone_number?: string | null } } }>> {
    return this.request("GET", `/api/profiles/${encodeURIComponent(id)}?fields[profile]=email,phone_number`);
  }

  async getAccount(): Promise<KlaviyoOutcome<KlaviyoAccount>> {
    const outcome = await this.request<{ data: Array<{ id: string; attributes?: AccountAttributes }> }>(
      "GET",
      "/api/accounts",
    );
    if (!outcome.ok) return outcome;
    const account = outcome.data?.data?.[0];
    if (!account) return { ok: false, kind: "invalid", status: outcome.status, detail: "Klaviyo returned no account" };
    const attributes = account.attributes ?? {};
    return {
      ...outcome,
      data: {
        id: account.id,
        name: attributes.contact_information?.organization_name || account.id,
        timezone: attributes.timezone,
        currency: attributes.preferred_currency,
      },
    };
  }

  /**
   * Get Accounts allows one call per second per account; when several shops connect one account
   * at once, wait out a short Retry-After once rather than fail the merchant's connect.
   */
  async getAccountWaitingBriefly(maxWaitMs = 5000): Promise<KlaviyoOutcome<KlaviyoAccount>> {
    const first = await this.getAccount();
    if (first.ok || first.kind !== "rate_limited" || first.retryAfterMs > maxWaitMs) return first;
    await new Promise((resolve) => setTimeout(resolve, first.retryAfterMs));
    return this.getAccount();
  }

  /** One HTTP call to Klaviyo, timed, ending in a typed outcome. */
  private async request<T>(
    method: "GET" | "POST" | "DELETE",
    path: string,
    body?: unknown,
  ): Promise<KlaviyoOutcome<T>> {
    const startedAt = performance.now();
    const outcome = await this.call<T>(method, path, body);
    return { ...outcome, latencyMs: Math.round(performance.now() - startedAt) };
  }

  private async call<T>(method: "GET" | "POST" | "DELETE", path: string, body?: unknown): Promise<KlaviyoOutcome<T>> {
    const { baseUrl, revision, credential, timeoutMs = 10_000, fetch: doFetch = fetch } = this.options;
    let response: Response;
    try {
      response = await doFetch(new URL(path, baseUrl), {
        method,
        headers: {
          Accept: "application/vnd.api+json",
          ...(body === undefined ? {} : { "Content-Type": "application/vnd.api+json" }),
          revision,
          Authorization:
            credential.method === "oauth" ? `Bearer ${credential.accessToken}` : `Klaviyo-API-Key ${credential.apiKey}`,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const detail =
        error instanceof Error && error.name === "TimeoutError" ? `no answer within ${timeoutMs} ms` : String(error);
      return { ok: false, kind: "network", status: 0, detail };
    }
    const text = await response.text();
    const parsed = text ? safeJson(text) : undefined;
    const requestId = response.headers.get("x-request-id") ?? errorId(parsed);
    if (response.ok) return { ok: true, status: response.status, data: parsed as T, requestId };

    const detail = errorDetail(parsed, `HTTP ${response.status}`);
    if (response.status === 429) {
      return {
        ok: false,
        kind: "rate_limited",
        status: 429,
        retryAfterMs: retryAfterMs(response.headers.get("retry-after")),
        detail,
        requestId,
      };
    }
    if (response.status === 401 || response.status === 403) {
      return {
        ok: false,
        kind: response.status === 401 ? "unauthorized" : "forbidden",
        status: response.status,
        detail,
        requestId,
      };
    }
    if (response.status >= 500) return { ok: false, kind: "server_error", status: response.status, detail, requestId };
    return { ok: false, kind: "invalid", status: response.status, detail, requestId };
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { errors: [{ detail: text.slice(0, 300) }] };
  }
}
