import { createHmac, timingSafeEqual } from "node:crypto";
import { ownEntry } from "../own-entry";

// Klaviyo's side of consent sync, pure: the topics and metrics of an unsubscribe, how Klaviyo
// signs a system webhook, and what Waypost reads of a delivery or a page of Get Events.

export type ConsentChannel = "email" | "sms";

/** The Webhooks API topics Waypost registers for (revision 2026-07-15), and the channel of each. */
export const CONSENT_TOPICS: Record<string, ConsentChannel> = {
  "event:klaviyo.unsubscribed_from_email_marketing": "email",
  "event:klaviyo.unsubscribed_from_sms_marketing": "sms",
};

/** Klaviyo's own metrics for the same changes, read by the poll where webhooks are unavailable. */
export const UNSUBSCRIBE_METRICS: Record<string, ConsentChannel> = {
  "Unsubscribed from Email Marketing": "email",
  "Unsubscribed from SMS Marketing": "sms",
};

/**
 * Klaviyo signs a system webhook with HMAC-SHA256 over the raw body followed by the
 * Klaviyo-Timestamp header's value, hex, keyed with the webhook's secret_key.
 */
export function signKlaviyoWebhook(rawBody: Buffer | string, timestamp: string, secret: string): string {
  return createHmac("sha256", secret).update(rawBody).update(timestamp).digest("hex");
}

export function isAuthenticKlaviyoWebhook(
  rawBody: Buffer,
  timestamp: string | null,
  signature: string | null,
  secret: string,
): boolean {
  if (!timestamp || !signature || !/^[0-9a-f]{64}$/i.test(signature.trim())) return false;
  const expected = Buffer.from(signKlaviyoWebhook(rawBody, timestamp, secret), "hex");
  return timingSafeEqual(expected, Buffer.from(signature.trim(), "hex"));
}

/** One unsubscribe as Waypost keeps it, whichever way it came. */
export interface ReportedUnsubscribe {
  klaviyoEventId: string;
  channel: ConsentChannel;
  klaviyoProfileId: string | null;
  email: string | null;
  phone: string | null;
  occurredAt: Date;
}

/** Get Event's shape (a delivery's `payload`, or one item of Get Events' `data`), as far as Waypost reads it. */
interface KlaviyoEventResource {
  id?: unknown;
  attributes?: { datetime?: unknown; timestamp?: unknown };
  relationships?: { profile?: { data?: { id?: unknown } } };
}

interface IncludedProfile {
  type?: unknown;
  id?: unknown;
  attributes?: { email?: unknown; phone_number?: unknown };
}

const text = (value: unknown) => (typeof value === "string" && value.trim() ? value.trim() : null);

function occurredAtOf(event: KlaviyoEventResource): Date | undefined {
  const { datetime, timestamp } = event.attributes ?? {};
  const date =
    typeof datetime === "string"
      ? new Date(datetime)
      : typeof timestamp === "number"
        ? new Date(timestamp * 1000)
        : null;
  return date && !Number.isNaN(date.getTime()) ? date : undefined;
}

function unsubscribeOf(
  event: KlaviyoEventResource,
  channel: ConsentChannel,
  profiles: Map<string, IncludedProfile>,
): ReportedUnsubscribe | string {
  const klaviyoEventId = text(event?.id);
  if (!klaviyoEventId) return "an event without an id";
  const occurredAt = occurredAtOf(event);
  if (!occurredAt) return `event ${klaviyoEventId} has no datetime`;
  const klaviyoProfileId = text(event.relationships?.profile?.data?.id);
  const profile = klaviyoProfileId ? profiles.get(klaviyoProfileId) : undefined;
  return {
    klaviyoEventId,
    channel,
    klaviyoProfileId,
    email: text(profile?.attributes?.email),
    phone: text(profile?.attributes?.phone_number),
    occurredAt,
  };
}

function includedProfiles(included: unknown): Map<string, IncludedProfile> {
  const profiles = new Map<string, IncludedProfile>();
  if (!Array.isArray(included)) return profiles;
  for (const item of included as IncludedProfile[])
    if (item?.type === "profile" && typeof item.id === "string") profiles.set(item.id, item);
  return profiles;
}

export type ParsedDelivery =
  | { ok: true; webhookId: string; unsubscribes: ReportedUnsubscribe[]; otherTopics: number }
  | { ok: false; reason: string };

/**
 * A system webhook's body: `data` (each with `topic`, `external_id`, `payload` in Get Event's
 * shape) and `meta.klaviyo_webhook_id`, which must be the Klaviyo-Webhook-Id header's webhook.
 * Topics other than the consent ones are counted and left alone.
 */
export function parseConsentDelivery(body: unknown, headerWebhookId: string): ParsedDelivery {
  const delivery = body as { data?: unknown; meta?: { klaviyo_webhook_id?: unknown } } | null;
  if (!delivery || typeof delivery !== "object" || !Array.isArray(delivery.data))
    return { ok: false, reason: "the body has no data array" };
  if (delivery.meta?.klaviyo_webhook_id !== headerWebhookId)
    return { ok: false, reason: "meta.klaviyo_webhook_id is not the Klaviyo-Webhook-Id header's webhook" };
  const unsubscribes: ReportedUnsubscribe[] = [];
  let otherTopics = 0;
  for (const item of delivery.data as Array<{ topic?: unknown; external_id?: unknown; payload?: unknown }>) {
    const channel = typeof item?.topic === "string" ? ownEntry(CONSENT_TOPICS, item.topic) : undefined;
    if (!channel) {
      otherTopics++;
      continue;
    }
    const payload = (item.payload ?? {}) as KlaviyoEventResource & { included?: unknown };
    const event = { ...payload, id: payload.id ?? item.external_id };
    const parsed = unsubscribeOf(event, channel, includedProfiles(payload.included));
    if (typeof parsed === "string") return { ok: false, reason: parsed };
    unsubscribes.push(parsed);
  }
  return { ok: true, webhookId: headerWebhookId, unsubscribes, otherTopics };
}

/** One page of Get Events (include=profile) for one unsubscribe metric. */
export interface EventsPage {
  data?: KlaviyoEventResource[];
  included?: unknown;
  links?: { next?: string | null };
}

export function unsubscribesOfPage(page: EventsPage, channel: ConsentChannel): ReportedUnsubscribe[] {
  const profiles = includedProfiles(page.included);
  return (page.data ?? [])
    .map((event) => unsubscribeOf(event, channel, profiles))
    .filter((parsed): parsed is ReportedUnsubscribe => typeof parsed !== "string");
}

/** Get Events' first page of one metric's events after `since`, oldest first, with each profile's email and phone. */
export function unsubscribeEventsPath(metricId: string, since: Date): string {
  const params = new URLSearchParams({
    filter: `equals(metric_id,"${metricId}"),greater-than(datetime,${since.toISOString()})`,
    include: "profile",
    "fields[event]": "datetime",
    "fields[profile]": "email,phone_number",
    sort: "datetime",
    "page[size]": "100",
  });
  return `/api/events?${params}`;
}

/** Create Webhook's body (WebhookCreateQuery): the consent topics, to our endpoint, signed with `secret`. */
export function consentWebhookBody(endpointUrl: string, secret: string) {
  return {
    data: {
      type: "webhook",
      attributes: { name: "Waypost consent sync", endpoint_url: endpointUrl, secret_key: secret },
      relationships: {
        "webhook-topics": { data: Object.keys(CONSENT_TOPICS).map((id) => ({ type: "webhook-topic", id })) },
      },
    },
  };
}
