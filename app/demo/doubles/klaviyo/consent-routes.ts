import type { ServerResponse } from "node:http";
import { CONSENT_TOPICS, signKlaviyoWebhook, type ConsentChannel } from "../../../klaviyo/consent-webhooks";
import { apiError, sendJson } from "../http-exchange";
import { KLAVIYO_INTEGRATION, metricIdOf, newToken, type DoubleAccount, type DoubleState } from "./double-state";
import type { ReadRequest } from "./metric-routes";

// The Webhooks API, Get Events and Get Profile as revision 2026-07-15 publishes them, as far as
// consent sync uses them, and the double's way to make a customer unsubscribe: recorded as
// Klaviyo's own event, then delivered, signed as Klaviyo signs, to every webhook on its topic.

export interface DoubleWebhook {
  id: string;
  accountId: string;
  endpointUrl: string;
  secret: string;
  topics: string[];
}

export interface ConsentEvent {
  id: string;
  accountId: string;
  channel: ConsentChannel;
  metric: string;
  profileId: string;
  datetime: string;
}

export const METRIC_OF_CHANNEL: Record<ConsentChannel, string> = {
  email: "Unsubscribed from Email Marketing",
  sms: "Unsubscribed from SMS Marketing",
};

const granted = (scopes: ReadRequest["scopes"], scope: string) => scopes === "all" || scopes.includes(scope);
const denied = (response: ServerResponse, detail: string) =>
  sendJson(response, 403, apiError(403, "permission_denied", detail));

interface WebhookBody {
  data?: {
    attributes?: { name?: string; endpoint_url?: string; secret_key?: string };
    relationships?: { "webhook-topics"?: { data?: Array<{ id?: string }> } };
  };
}

/** POST /api/webhooks: only for OAuth apps (a private key is refused, as for accounts without Advanced KDP). */
export function createWebhook(
  state: DoubleState,
  account: DoubleAccount,
  body: unknown,
  response: ServerResponse,
  { scopes }: ReadRequest,
) {
  if (scopes === "all")
    return denied(response, "The Webhooks API is available only to Advanced KDP accounts and Klaviyo app partners.");
  if (!granted(scopes, "webhooks:write"))
    return denied(response, "You do not have permission to perform this action (requires webhooks:write).");
  const data = (body as WebhookBody).data;
  const topics = (data?.relationships?.["webhook-topics"]?.data ?? []).map((topic) => String(topic.id));
  const unknown = topics.find((topic) => !Object.hasOwn(CONSENT_TOPICS, topic));
  if (unknown) return sendJson(response, 400, apiError(400, "invalid", `'${unknown}' is not a topic of this account`));
  const secret = data?.attributes?.secret_key ?? "";
  if (secret.length < 16)
    return sendJson(response, 400, apiError(400, "invalid", "secret_key must be at least 16 characters"));
  const endpointUrl = data?.attributes?.endpoint_url ?? "";
  if (!/^https?:\/\//.test(endpointUrl))
    return sendJson(response, 400, apiError(400, "invalid", "endpoint_url must be a URL"));
  const webhook = { id: `WH${newToken().slice(0, 10)}`, accountId: account.id, endpointUrl, secret, topics };
  state.webhooks.push(webhook);
  sendJson(response, 201, {
    data: {
      type: "webhook",
      id: webhook.id,
      attributes: { name: data?.attributes?.name, endpoint_url: endpointUrl, enabled: true },
      links: { self: `/api/webhooks/${webhook.id}` },
    },
  });
}

export function deleteWebhook(state: DoubleState, account: DoubleAccount, response: ServerResponse, id: string) {
  const at = state.webhooks.findIndex((webhook) => webhook.id === id && webhook.accountId === account.id);
  if (at < 0) return sendJson(response, 404, apiError(404, "not_found", `No webhook ${id}`));
  state.webhooks.splice(at, 1);
  sendJson(response, 204, undefined);
}

const profileOf = (state: DoubleState, profileId: string) => state.profiles.get(profileId);

/** GET /api/events, filtered as consent sync asks: equals(metric_id,"…") and greater-than(datetime,…). */
export function getEvents(
  state: DoubleState,
  account: DoubleAccount,
  _body: unknown,
  response: ServerResponse,
  { url, scopes }: ReadRequest,
) {
  if (!granted(scopes, "events:read"))
    return denied(response, "You do not have permission to perform this action (requires events:read).");
  const filter = url.searchParams.get("filter") ?? "";
  const match = /^equals\(metric_id,"([^"]+)"\),greater-than\(datetime,([^)]+)\)$/.exec(filter);
  if (!match) {
    const [error] = apiError(400, "invalid", "Invalid filter").errors;
    return sendJson(response, 400, { errors: [{ ...error, source: { parameter: "filter" } }] });
  }
  const [, metricId, after] = match;
  const since = Date.parse(after);
  const size = Math.min(1000, Number(url.searchParams.get("page[size]") ?? 200));
  const offset = Number(url.searchParams.get("page[cursor]") ?? 0);
  const matching = state.consentEvents
    .filter(
      (event) =>
        event.accountId === account.id &&
        metricIdOf(account.id, KLAVIYO_INTEGRATION, event.metric) === metricId &&
        Date.parse(event.datetime) > since,
    )
    .sort((a, b) => Date.parse(a.datetime) - Date.parse(b.datetime));
  const page = matching.slice(offset, offset + size);
  const next = new URL(url);
  next.searchParams.set("page[cursor]", String(offset + size));
  const withProfile = url.searchParams.get("include") === "profile";
  sendJson(response, 200, {
    data: page.map((event) => eventResource(event)),
    ...(withProfile
      ? {
          included: [...new Set(page.map((event) => event.profileId))].map((id) => ({
            type: "profile",
            id,
            attributes: {
              email: profileOf(state, id)?.email ?? null,
              phone_number: profileOf(state, id)?.phone_number ?? null,
            },
          })),
        }
      : {}),
    links: { self: url.toString(), next: offset + size < matching.length ? next.toString() : null },
  });
}

/** GET /api/profiles/{id}: the profile's email and phone. */
export function getProfile(
  state: DoubleState,
  account: DoubleAccount,
  response: ServerResponse,
  { scopes }: ReadRequest,
  id: string,
) {
  if (!granted(scopes, "profiles:read"))
    return denied(response, "You do not have permission to perform this action (requires profiles:read).");
  const profile = id.startsWith(`${account.id}:`) ? profileOf(state, id) : undefined;
  if (!profile) return sendJson(response, 404, apiError(404, "not_found", `No profile ${id}`));
  sendJson(response, 200, {
    data: {
      type: "profile",
      id,
      attributes: { email: profile.email ?? null, phone_number: profile.phone_number ?? null },
      links: { self: `/api/profiles/${id}` },
    },
  });
}

/** Get Event's shape, as a delivery's payload and each item of Get Events carry it. */
function eventResource(event: ConsentEvent) {
  return {
    type: "event",
    id: event.id,
    attributes: { timestamp: Math.floor(Date.parse(event.datetime) / 1000), datetime: event.datetime, uuid: event.id },
    relationships: {
      profile: { data: { type: "profile", id: event.profileId } },
      metric: { data: { type: "metric", id: metricIdOf(event.accountId, KLAVIYO_INTEGRATION, event.metric) } },
    },
    links: { self: `/api/events/${event.id}` },
  };
}

export interface UnsubscribeRequest {
  accountId?: string;
  channel: ConsentChannel;
  email?: string;
  phone?: string;
}

/**
 * A customer unsubscribes in Klaviyo: the profile (made if new), Klaviyo's own event, and a signed
 * delivery to each of the account's webhooks on the topic. Returns each delivery's HTTP status.
 */
export async function unsubscribe(state: DoubleState, request: UnsubscribeRequest) {
  const accountId = request.accountId ?? state.accounts[0].id;
  const key = request.channel === "email" ? request.email : request.phone;
  if (!key)
    throw new Error(
      `an ${request.channel} unsubscribe needs the profile's ${request.channel === "email" ? "email" : "phone"}`,
    );
  const profileId = `${accountId}:${key}`;
  const profile = state.profiles.get(profileId) ?? {};
  state.profiles.set(profileId, {
    ...profile,
    ...(request.email ? { email: request.email } : {}),
    ...(request.phone ? { phone_number: request.phone } : {}),
  });
  const event: ConsentEvent = {
    id: `EV${newToken().slice(0, 12)}`,
    accountId,
    channel: request.channel,
    metric: METRIC_OF_CHANNEL[request.channel],
    profileId,
    datetime: new Date().toISOString(),
  };
  state.consentEvents.push(event);
  const topic = Object.keys(CONSENT_TOPICS).find((name) => CONSENT_TOPICS[name] === request.channel)!;
  const deliveries = [];
  for (const webhook of state.webhooks.filter((hook) => hook.accountId === accountId && hook.topics.includes(topic)))
    deliveries.push({ webhookId: webhook.id, status: await deliver(webhook, [{ topic, event }]) });
  return { eventId: event.id, profileId, deliveries };
}

/** One signed delivery, as Klaviyo sends it; also what a test sends again to see it deduped. */
export async function deliver(webhook: DoubleWebhook, items: Array<{ topic: string; event: ConsentEvent }>) {
  const body = JSON.stringify({
    data: items.map(({ topic, event }) => ({ topic, external_id: event.id, payload: eventResource(event) })),
    meta: {
      klaviyo_account_id: webhook.accountId,
      klaviyo_webhook_id: webhook.id,
      timestamp: new Date().toISOString(),
    },
  });
  const timestamp = new Date().toISOString();
  try {
    const answer = await fetch(webhook.endpointUrl, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        "Klaviyo-Webhook-Id": webhook.id,
        "Klaviyo-Timestamp": timestamp,
        "Klaviyo-Signature": signKlaviyoWebhook(body, timestamp, webhook.secret),
      },
      body,
      signal: AbortSignal.timeout(10_000),
    });
    return answer.status;
  } catch {
    return 0;
  }
}
