import type { ConsentChange } from "@prisma/client";
import { prisma } from "../../db.server";
import { klaviyoConnectionOf } from "../../klaviyo/connection-store.server";
import { errorSummary, log } from "../../log.server";
import { adminApiForShop, waitForCostMs, type ThrottleStatus } from "../../platform/admin-graphql.server";
import { marketingStateOf, type MarketingChannel } from "../../platform/customer-consent";
import { readInLane } from "../klaviyo-reads/read-in-lane.server";
import { startPollingWorker } from "../polling-worker.server";

export const CONSENT_STATUS = { pending: "pending", applied: "applied", unmatched: "unmatched", failed: "failed" };
const CLAIM_MS = 60_000;
const BATCH = 20;
// A change Shopify or Klaviyo could not take yet is tried again later, at most this often.
const MAX_ATTEMPTS = 8;
// The most a change costs: a lookup (~2 points) and a mutation (10).
const CHANGE_COST = 12;

const CHANNEL_WORDS: Record<MarketingChannel, string> = { email: "email marketing", sms: "SMS marketing" };

type Settled =
  | { status: "applied" | "unmatched" | "failed"; result: string; shopifyCustomerId?: string }
  | { status: "pending"; result: string; retryInMs: number };

/**
 * Applies due unsubscribes to Shopify, oldest first: each one is claimed (so no two workers take
 * it), its customer found by exact email or phone, and marked unsubscribed on that channel. A
 * customer Shopify does not have is recorded as unmatched, never guessed. Stops when the shop's
 * Shopify bucket is too low for the next change. Returns how many were settled.
 */
export async function applyDueConsentChanges({ limit = BATCH, now = new Date() } = {}) {
  const due = await prisma.consentChange.findMany({
    where: {
      status: CONSENT_STATUS.pending,
      OR: [{ nextAttemptAt: null }, { nextAttemptAt: { lte: now } }],
      AND: [{ OR: [{ claimedUntil: null }, { claimedUntil: { lt: now } }] }],
    },
    orderBy: { receivedAt: "asc" },
    take: limit,
  });
  const lowBuckets = new Set<string>();
  let settled = 0;
  for (const change of due) {
    if (lowBuckets.has(change.shopId)) continue;
    const { count } = await prisma.consentChange.updateMany({
      where: {
        id: change.id,
        status: CONSENT_STATUS.pending,
        OR: [{ claimedUntil: null }, { claimedUntil: { lt: now } }],
      },
      data: { claimedUntil: new Date(now.getTime() + CLAIM_MS), attempts: { increment: 1 } },
    });
    if (count === 0) continue;
    let outcome: Settled;
    let throttle: ThrottleStatus | undefined;
    try {
      ({ outcome, throttle } = await applyOne(change));
    } catch (error) {
      log.error("consent change failed", { changeId: change.id, error: errorSummary(error) });
      outcome = { status: "pending", result: "Waypost could not apply it just now", retryInMs: 60_000 };
    }
    if (outcome.status === "pending" && change.attempts + 1 >= MAX_ATTEMPTS)
      outcome = { status: "failed", result: `${outcome.result}; gave up after ${MAX_ATTEMPTS} tries` };
    await settle(change.id, outcome, now);
    if (outcome.status !== "pending") settled++;
    if (waitForCostMs(throttle, CHANGE_COST) > 0) lowBuckets.add(change.shopId);
  }
  return settled;
}

async function applyOne(change: ConsentChange): Promise<{ outcome: Settled; throttle?: ThrottleStatus }> {
  const channel = change.channel as MarketingChannel;
  const contact = await contactOf(change);
  if ("retry" in contact) return { outcome: { status: "pending", result: contact.retry, retryInMs: 60_000 } };
  const address = channel === "email" ? contact.email : contact.phone;
  if (!address)
    return {
      outcome: {
        status: "unmatched",
        result: `Klaviyo's profile has no ${channel === "email" ? "email address" : "phone number"}`,
      },
    };
  const shop = await prisma.shop.findUniqueOrThrow({ where: { id: change.shopId }, select: { domain: true } });
  const admin = await adminApiForShop(shop.domain);
  if (!admin)
    return { outcome: { status: "failed", result: "Waypost holds no access to the store (reinstall the app)" } };

  const found = await admin.customerForConsent(channel, contact);
  if (!found.ok) return { outcome: shopifyProblem(found) };
  const customer = found.data;
  if (!customer)
    return {
      outcome: {
        status: "unmatched",
        result: `No Shopify customer has this ${channel === "email" ? "email" : "phone"}`,
      },
      throttle: found.throttle,
    };
  if (marketingStateOf(customer, channel) === "UNSUBSCRIBED")
    return {
      outcome: {
        status: "applied",
        result: `Already unsubscribed from ${CHANNEL_WORDS[channel]} in Shopify`,
        shopifyCustomerId: customer.id,
      },
      throttle: found.throttle,
    };
  const updated = await admin.unsubscribeCustomer(channel, customer.id, change.occurredAt);
  if (!updated.ok) return { outcome: { ...shopifyProblem(updated), shopifyCustomerId: customer.id } as Settled };
  return {
    outcome: {
      status: "applied",
      result: `Unsubscribed from ${CHANNEL_WORDS[channel]} in Shopify`,
      shopifyCustomerId: customer.id,
    },
    throttle: updated.throttle,
  };
}

function shopifyProblem(outcome: { kind: string; detail: string; waitMs?: number }): Settled {
  if (outcome.kind === "throttled")
    return { status: "pending", result: `Waiting for Shopify: ${outcome.detail}`, retryInMs: outcome.waitMs ?? 5000 };
  if (outcome.kind === "unauthorized")
    return {
      status: "failed",
      result: "Shopify refused the change: grant Waypost write_customers (reinstall the app)",
    };
  return { status: "failed", result: `Shopify refused the change: ${outcome.detail}` };
}

/** The change's email and phone: as Klaviyo reported them, else read from its profile (Get Profile, consent lane). */
async function contactOf(
  change: ConsentChange,
): Promise<{ email: string | null; phone: string | null } | { retry: string }> {
  const known = { email: change.email, phone: change.phone };
  const needed = change.channel === "email" ? known.email : known.phone;
  if (needed || !change.klaviyoProfileId) return known;
  const connection = await klaviyoConnectionOf(change.shopId);
  if (!connection || connection.status !== "connected") return { retry: "Waiting for Klaviyo to be connected" };
  const profileId = change.klaviyoProfileId;
  const read = await readInLane(connection, "consent", (klaviyo) => klaviyo.getProfileContact(profileId), {
    forbidden: "Klaviyo did not let Waypost read the profile (profiles:read)",
  });
  if (!read.ok) return { retry: read.message };
  const attributes = read.data?.data?.attributes ?? {};
  const contact = { email: attributes.email?.toLowerCase() ?? null, phone: attributes.phone_number ?? null };
  await prisma.consentChange.update({ where: { id: change.id }, data: contact });
  return contact;
}

async function settle(id: string, outcome: Settled, now: Date) {
  await prisma.consentChange.update({
    where: { id },
    data: {
      status: outcome.status,
      result: outcome.result,
      claimedUntil: null,
      ...("shopifyCustomerId" in outcome && outcome.shopifyCustomerId
        ? { shopifyCustomerId: outcome.shopifyCustomerId }
        : {}),
      ...(outcome.status === "pending"
        ? { nextAttemptAt: new Date(now.getTime() + outcome.retryInMs) }
        : { settledAt: now, nextAttemptAt: null }),
    },
  });
}

/** The consent worker: at once when an unsubscribe is stored, and every 5 seconds for retries and other processes' work. */
export function startConsentWorker({ pollMs = 5000 } = {}) {
  return startPollingWorker(
    "consent",
    async () => ({ runAgainInMs: (await applyDueConsentChanges()) === BATCH ? 0 : undefined }),
    pollMs,
  );
}
