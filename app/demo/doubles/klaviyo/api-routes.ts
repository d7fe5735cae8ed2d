import type { IncomingMessage, ServerResponse } from "node:http";
import type { DoubleAccount, DoubleState } from "./double-state";
import { validateKlaviyoRequest } from "../../contracts/klaviyo-openapi.server";
import { apiError, readBody, sendJson } from "../http-exchange";
import { createWebhook, deleteWebhook, getEvents, getProfile } from "./consent-routes";
import { getMetrics, queryMetricAggregates, type ReadRequest } from "./metric-routes";
import type { EndpointClass } from "./rate-windows";

const E164 = /^\+[1-9]\d{6,14}$/;

// What the double reads of a request's JSON:API body. Like Klaviyo, it trusts none of it: every
// field may be missing or of the wrong type until checked.
interface ProfileAttributes {
  email?: string;
  phone_number?: string;
  external_id?: string;
  anonymous_id?: string;
  _kx?: string;
  properties?: Record<string, unknown>;
  [attribute: string]: unknown;
}

interface EventAttributes {
  metric?: { data?: { attributes?: { name?: string } } };
  profile?: { data?: { id?: string; attributes?: ProfileAttributes } };
  properties?: Record<string, unknown> | null;
  time?: string;
  value?: number;
  unique_id?: string;
  backfill?: boolean;
}

interface BulkJob {
  attributes?: { profile?: EventAttributes["profile"]; events?: { data?: Array<{ attributes?: EventAttributes }> } };
}

interface RequestBody {
  data?: {
    type?: string;
    attributes?: EventAttributes & ProfileAttributes & { "events-bulk-create"?: { data?: BulkJob[] } };
  };
}

type ApiHandler = (
  state: DoubleState,
  account: DoubleAccount,
  body: RequestBody | undefined,
  response: ServerResponse,
  request: ReadRequest,
) => void;

const ROUTES: Record<string, { endpoint: EndpointClass; handler: ApiHandler }> = {
  "GET /api/accounts": { endpoint: "accounts", handler: accounts },
  "GET /api/metrics": { endpoint: "metrics", handler: getMetrics },
  "POST /api/metric-aggregates": { endpoint: "aggregates", handler: queryMetricAggregates as ApiHandler },
  "POST /api/events": { endpoint: "events", handler: createEvent },
  "POST /api/profile-import": { endpoint: "profiles", handler: importProfile },
  "POST /api/profile-merge": { endpoint: "merges", handler: mergeProfiles },
  "POST /api/event-bulk-create-jobs": { endpoint: "bulk", handler: bulkCreateEvents },
  "POST /api/webhooks": { endpoint: "webhooks", handler: createWebhook },
  "GET /api/events": { endpoint: "eventReads", handler: getEvents },
};

/** Routes with an id in the path: `DELETE /api/webhooks/{id}`, `GET /api/profiles/{id}`. */
function routeWithId(
  method: string | undefined,
  path: string,
): { endpoint: EndpointClass; handler: ApiHandler } | undefined {
  const webhook = /^\/api\/webhooks\/([^/]+)$/.exec(path)?.[1];
  if (method === "DELETE" && webhook)
    return {
      endpoint: "webhooks",
      handler: (state, account, _body, response) =>
        deleteWebhook(state, account, response, decodeURIComponent(webhook)),
    };
  const profile = /^\/api\/profiles\/([^/]+)$/.exec(path)?.[1];
  if (method === "GET" && profile)
    return {
      endpoint: "profileReads",
      handler: (state, account, _body, response, request) =>
        getProfile(state, account, response, request, decodeURIComponent(profile)),
    };
  return undefined;
}

/** Every /api/ request: revision header, auth, faults, rate limits, then the endpoint itself. */
export async function handleApi(state: DoubleState, request: IncomingMessage, url: URL, response: ServerResponse) {
  const route = ROUTES[`${request.method} ${url.pathname}`] ?? routeWithId(request.method, url.pathname);
  if (!route)
    return sendJson(response, 404, apiError(404, "not_found", `${request.method} ${url.pathname} does not exist`));
  const arrivedAt = Date.now();
  const rawBody = request.method === "POST" ? await readBody(request) : "";

  const { latencyMs, slowRate = 0, slowMs = 0, rateLimitRate = 0 } = state.faults;
  const delay = latencyMs + (Math.random() < slowRate ? slowMs : 0);
  if (delay) await new Promise((resolve) => setTimeout(resolve, delay));
  if (!request.headers.revision) {
    return sendJson(response, 400, apiError(400, "invalid", "The revision header is required", "/headers/revision"));
  }
  const account = state.authenticate(request.headers.authorization);
  if (!account)
    return sendJson(response, 401, apiError(401, "not_authenticated", "Incorrect authentication credentials."));
  if (state.observe) {
    const observe = state.observe;
    // sendJson hands its headers to writeHead, which getHeader cannot read back: note Retry-After there.
    let retryAfter: unknown;
    const writeHead = response.writeHead.bind(response);
    response.writeHead = ((status: number, headers?: Record<string, string>) => {
      retryAfter = headers?.["Retry-After"];
      return writeHead(status, headers);
    }) as typeof response.writeHead;
    response.once("finish", () =>
      observe({
        accountId: account.id,
        endpoint: route.endpoint,
        arrivedAt,
        answeredAt: Date.now(),
        status: response.statusCode,
        ...(retryAfter ? { retryAfterSeconds: Number(retryAfter) } : {}),
      }),
    );
  }
  const throttledUntil = state.faults.throttledUntil?.[account.id] ?? 0;
  if (throttledUntil > Date.now()) {
    return sendJson(response, 429, apiError(429, "throttled", "Request was throttled."), {
      "Retry-After": String(Math.ceil((throttledUntil - Date.now()) / 1000)),
    });
  }
  const accountDelay = state.faults.slowAccounts?.[account.id] ?? 0;
  if (accountDelay) await new Promise((resolve) => setTimeout(resolve, accountDelay));

  const forced = state.faults.forced;
  if (forced && forced.remaining > 0) {
    forced.remaining--;
    const headers: Record<string, string> =
      forced.status === 429 ? { "Retry-After": String(forced.retryAfterSeconds ?? 1) } : {};
    return sendJson(
      response,
      forced.status,
      apiError(forced.status, "forced_fault", "Fault injected by the test"),
      headers,
    );
  }
  if (state.faults.errorRate > 0 && Math.random() < state.faults.errorRate) {
    return sendJson(response, 500, apiError(500, "error", "Injected server error"));
  }
  if (rateLimitRate > 0 && Math.random() < rateLimitRate) {
    return sendJson(response, 429, apiError(429, "throttled", "Request was throttled (injected)."), {
      "Retry-After": "1",
    });
  }
  const limit = state.rateWindows.take(account.id, route.endpoint);
  if (!limit.allowed) {
    return sendJson(response, 429, apiError(429, "throttled", "Request was throttled."), {
      "Retry-After": String(limit.retryAfterSeconds),
    });
  }

  let body: RequestBody | undefined;
  try {
    body = rawBody ? (JSON.parse(rawBody) as RequestBody) : undefined;
  } catch {
    return sendJson(response, 400, apiError(400, "invalid", "Malformed JSON body"));
  }
  // Never kinder than Klaviyo: a body its published OpenAPI spec refuses is refused here, in its words.
  if (request.method === "POST" || request.method === "PATCH") {
    const verdict = validateKlaviyoRequest(request.method, url.pathname, body);
    if (!verdict.ok) return sendJson(response, verdict.status, verdict.body);
  }
  route.handler(state, account, body, response, { url, scopes: state.scopesOf(request.headers.authorization) });
}

function accounts(_state: DoubleState, account: DoubleAccount, _body: unknown, response: ServerResponse) {
  sendJson(response, 200, {
    data: [
      {
        type: "account",
        id: account.id,
        attributes: {
          test_account: true,
          contact_information: { organization_name: account.name, default_sender_name: account.name },
          timezone: account.timezone,
          preferred_currency: "USD",
          public_api_key: account.id,
          locale: "en-US",
        },
      },
    ],
    links: { self: "/api/accounts" },
  });
}

/** Returns a pointer to what is wrong with an event, or undefined when it is valid. */
function eventProblem(
  attributes: EventAttributes | undefined,
  at: string,
  faults: DoubleState["faults"],
): [string, string] | undefined {
  if (!attributes || typeof attributes !== "object") return [`${at}`, "attributes are required"];
  if (!attributes.metric?.data?.attributes?.name)
    return [`${at}/metric/data/attributes/name`, "A metric name is required"];
  const profile = attributes.profile?.data?.attributes;
  // Create Event's identifiers (EventProfileCreateQueryResourceObject): anonymous_id and _kx are onsite ones.
  const identified =
    profile?.email || profile?.phone_number || profile?.external_id || profile?.anonymous_id || profile?._kx;
  if (!profile || !(identified || attributes.profile?.data?.id)) {
    return [
      `${at}/profile/data/attributes`,
      "A profile identifier (email, phone_number, external_id, anonymous_id, _kx or id) is required",
    ];
  }
  if (profile.phone_number && !E164.test(profile.phone_number)) {
    return [`${at}/profile/data/attributes/phone_number`, "Invalid phone number format (E.164 expected)"];
  }
  if (typeof attributes.properties !== "object" || attributes.properties === null)
    return [`${at}/properties`, "properties are required"];
  if (attributes.time && Number.isNaN(Date.parse(attributes.time))) return [`${at}/time`, "Invalid datetime"];
  if (attributes.unique_id && faults.refusedUniqueIds?.includes(attributes.unique_id))
    return [`${at}/unique_id`, "Injected: this event is refused"];
  return undefined;
}

/** Records an event eventProblem found nothing wrong with. */
function record(state: DoubleState, account: DoubleAccount, attributes: EventAttributes, via: "events" | "bulk") {
  return state.recordEvent({
    accountId: account.id,
    metric: attributes.metric?.data?.attributes?.name ?? "",
    profile: attributes.profile?.data?.attributes ?? {},
    properties: attributes.properties ?? {},
    uniqueId: attributes.unique_id,
    time: attributes.time,
    value: attributes.value,
    receivedAt: new Date().toISOString(),
    via,
    ...(attributes.backfill === true ? { backfill: true } : {}),
  });
}

function createEvent(
  state: DoubleState,
  account: DoubleAccount,
  body: RequestBody | undefined,
  response: ServerResponse,
) {
  if (body?.data?.type !== "event")
    return sendJson(response, 400, apiError(400, "invalid", "data.type must be event", "/data/type"));
  const attributes = body.data.attributes;
  const problem = eventProblem(attributes, "/data/attributes", state.faults);
  if (problem || !attributes)
    return sendJson(response, 400, apiError(400, "invalid", problem?.[1] ?? "", problem?.[0]));
  record(state, account, attributes, "events");
  if (Math.random() < (state.faults.lostAnswerRate ?? 0))
    return sendJson(response, 500, apiError(500, "error", "Injected: recorded, answer lost"));
  sendJson(response, 202, undefined);
}

function importProfile(
  state: DoubleState,
  account: DoubleAccount,
  body: RequestBody | undefined,
  response: ServerResponse,
) {
  const attributes = body?.data?.attributes;
  if (body?.data?.type !== "profile" || !attributes)
    return sendJson(response, 400, apiError(400, "invalid", "data.type must be profile", "/data/type"));
  const key = attributes.email ?? attributes.phone_number ?? attributes.external_id;
  if (!key)
    return sendJson(response, 400, apiError(400, "invalid", "A profile identifier is required", "/data/attributes"));
  if (attributes.phone_number && !E164.test(attributes.phone_number)) {
    return sendJson(
      response,
      400,
      apiError(400, "invalid", "Invalid phone number format", "/data/attributes/phone_number"),
    );
  }
  const id = `${account.id}:${key}`;
  state.profileImports.push({ accountId: account.id, profileId: id, attributes, receivedAt: new Date().toISOString() });
  const existing = state.profiles.get(id);
  const merged = {
    ...existing,
    ...attributes,
    properties: { ...(existing?.properties as object), ...attributes.properties },
  };
  state.profiles.set(id, merged);
  sendJson(response, existing ? 200 : 201, { data: { type: "profile", id, attributes: merged } });
}

/**
 * Merge Profiles, after the spec has checked the body's shape: both profiles must be this
 * account's and differ, with exactly one source (Klaviyo accepts only one). The destination keeps
 * what it has and takes what only the source had; the source is deleted.
 */
function mergeProfiles(
  state: DoubleState,
  account: DoubleAccount,
  body: RequestBody | undefined,
  response: ServerResponse,
) {
  const merge = body as unknown as {
    data: { id: string; relationships: { profiles: { data?: Array<{ id: string }> } } };
  };
  const destinationId = merge.data.id;
  const sources = merge.data.relationships.profiles.data ?? [];
  if (sources.length !== 1)
    return sendJson(
      response,
      400,
      apiError(400, "invalid", "Exactly one source profile is required", "/data/relationships/profiles/data"),
    );
  const sourceId = sources[0].id;
  if (sourceId === destinationId)
    return sendJson(response, 400, apiError(400, "invalid", "A profile cannot be merged into itself", "/data/id"));
  const destination = destinationId.startsWith(`${account.id}:`) ? state.profiles.get(destinationId) : undefined;
  const source = sourceId.startsWith(`${account.id}:`) ? state.profiles.get(sourceId) : undefined;
  if (!destination || !source) return sendJson(response, 404, apiError(404, "not_found", "Profile not found"));
  state.profiles.set(destinationId, {
    ...source,
    ...destination,
    properties: { ...(source.properties as object), ...(destination.properties as object) },
  });
  state.profiles.delete(sourceId);
  state.profileMerges.push({ accountId: account.id, destinationId, sourceId });
  sendJson(response, 201, {
    data: { type: "profile", id: destinationId, links: { self: `/api/profiles/${destinationId}` } },
    links: { self: "/api/profile-merge" },
  });
}

function bulkCreateEvents(
  state: DoubleState,
  account: DoubleAccount,
  body: RequestBody | undefined,
  response: ServerResponse,
) {
  const jobs = body?.data?.attributes?.["events-bulk-create"]?.data;
  if (body?.data?.type !== "event-bulk-create-job" || !Array.isArray(jobs)) {
    return sendJson(
      response,
      400,
      apiError(400, "invalid", "data.attributes.events-bulk-create.data is required", "/data/attributes"),
    );
  }
  // Klaviyo takes a job whole or not at all: every event is checked before any is recorded.
  const events = jobs.flatMap((job, index) =>
    (job?.attributes?.events?.data ?? []).map((event, eventIndex) => ({
      attributes: { ...event?.attributes, profile: job?.attributes?.profile } as EventAttributes,
      at: `/data/attributes/events-bulk-create/data/${index}/events/${eventIndex}`,
    })),
  );
  if (events.length > 1000) return sendJson(response, 400, apiError(400, "invalid", "At most 1,000 events per job"));
  for (const { attributes, at } of events) {
    const problem = eventProblem(attributes, at, state.faults);
    if (problem) return sendJson(response, 400, apiError(400, "invalid", problem[1], problem[0]));
  }
  for (const { attributes } of events) record(state, account, attributes, "bulk");
  sendJson(response, 202, {
    data: { type: "event-bulk-create-job", id: crypto.randomUUID(), attributes: { status: "queued" } },
  });
}
