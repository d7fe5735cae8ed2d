import { prisma } from "../db.server";
import { deliveryStats, profileAttributes, storeCreditProperties } from "../klaviyo/profile";
import { customerIdentity } from "../tracking/contact";
import type { Contact } from "../tracking/normalize";
import { shipmentsOfCustomer } from "../tracking/tracking-store.server";
import { lanesOf, type Lane, type SendContext } from "./lane-owner.server";
import { serveReadyLanesOnce, type LaneKindOfWork } from "./lane-runner.server";
import { sendInLane } from "./lane-send.server";
import { laneKey } from "./lanes";
import {
  claimDueProfiles,
  PROFILE_STATUS,
  putOffProfiles,
  settleProfile,
  shopsWithDueProfiles,
  type ClaimedProfile,
  type ProfileSettlement,
} from "./profile-queue.server";
import type { Decision } from "./retry-policy";
import { refreshStoreCredit, storeCreditOnOrder, type StoreCreditAnswer } from "./store-credit.server";
import { WORKER_ID } from "./worker-id.server";

// A shop without a working connection is asked again this much later.
const NOT_CONNECTED_RETRY_MS = 60_000;

/**
 * Queues a profile update when what Klaviyo should know about the customer (name, contact,
 * delivery stats, store credit when the merchant has it on) differs from what it was last told.
 * The latest order's name wins.
 */
export async function queueProfileSync(shopId: string, contact: Contact, now = new Date()) {
  const identity = customerIdentity(contact);
  const profile = profileAttributes(contact);
  if (!identity || !profile) return;
  const existing = await prisma.customerProfile.findUnique({ where: { shopId_identity: { shopId, identity } } });
  const customerId = contact.customerId ?? existing?.shopifyCustomerId ?? null;
  const credit = await storeCreditOnOrder(shopId, customerId, existing?.storeCredit ?? null);
  const attributes = JSON.stringify({
    ...profile,
    properties: {
      ...deliveryStats(await shipmentsOfCustomer(shopId, identity)),
      ...(credit ? storeCreditProperties(credit.balances, credit.currency) : {}),
    },
  });
  const known = { shopifyCustomerId: customerId, ...storeCreditColumns(credit, now) };
  if (existing && !changes(existing, attributes)) {
    await prisma.customerProfile.update({ where: { id: existing.id }, data: known });
    return;
  }
  await prisma.customerProfile.upsert({
    where: { shopId_identity: { shopId, identity } },
    create: { shopId, identity, attributes, status: PROFILE_STATUS.queued, nextAttemptAt: now, ...known },
    update: { ...requeued(attributes, now), ...known },
  });
}

/** Whether these attributes are news to Klaviyo: neither what it was last told nor what is already queued. */
const changes = (profile: { sentAttributes: string | null; status: string; attributes: string }, attributes: string) =>
  profile.sentAttributes !== attributes &&
  !(profile.status === PROFILE_STATUS.queued && profile.attributes === attributes);

// The lease stays: a change queued while an older one is out goes once that one is answered.
const requeued = (attributes: string, now: Date) => ({
  attributes,
  status: PROFILE_STATUS.queued,
  attempts: 0,
  nextAttemptAt: now,
  lastError: null,
});

const storeCreditColumns = (credit: StoreCreditAnswer | undefined, now: Date) =>
  credit?.readNow ? { storeCredit: JSON.stringify(credit.balances), storeCreditReadAt: now } : {};

/**
 * The daily store-credit refresh (see refreshStoreCredit): each balance read is kept, and a
 * profile whose balance changed is queued with its other attributes as they were.
 */
export function refreshStoreCreditOnProfiles(now = new Date()) {
  return refreshStoreCredit(async (profile, credit, at) => {
    const current = JSON.parse(profile.attributes) as { properties?: Record<string, unknown> };
    const attributes = JSON.stringify({
      ...current,
      properties: { ...current.properties, ...storeCreditProperties(credit.balances, credit.currency) },
    });
    const queue = changes(profile, attributes);
    await prisma.customerProfile.update({
      where: { id: profile.id },
      data: { ...storeCreditColumns(credit, at), ...(queue ? requeued(attributes, at) : {}) },
    });
    return queue;
  }, now);
}

/** The profiles lanes with updates due now; shops that cannot be sent to are asked again later. */
async function readyLanes(now: Date): Promise<Lane[]> {
  const shops = await shopsWithDueProfiles(now);
  const unsendable = shops.filter((shop) => shop.klaviyoConnection?.status !== "connected");
  await putOffProfiles(
    unsendable.map((shop) => shop.id),
    new Date(now.getTime() + NOT_CONNECTED_RETRY_MS),
    now,
  );
  return lanesOf("profiles", shops);
}

/** Sends one profile update (Create or Update Profile) and settles it as its answer arrives. */
async function sendProfile(profile: ClaimedProfile, { shop, owner, clock, pause }: SendContext): Promise<boolean> {
  const send = await sendInLane({
    lane: { key: laneKey(shop.connection.accountId, "profiles"), kind: "profiles" },
    connection: shop.connection,
    attempts: profile.attempts,
    now: clock(),
    call: (klaviyo) => klaviyo.importProfile(JSON.parse(profile.attributes)),
    pause,
  });
  if (send.held) {
    const later = new Date(clock().getTime() + NOT_CONNECTED_RETRY_MS);
    await settleProfile(profile, owner, { to: PROFILE_STATUS.queued, nextAttemptAt: later }, clock());
    return false;
  }
  const settlement = settlementFor(send.decision, send.answeredAt);
  // Klaviyo's id for the profile, which a customer merge names.
  if (settlement.to === PROFILE_STATUS.synced && send.outcome.ok)
    settlement.klaviyoProfileId = (send.outcome.data as { data?: { id?: string } } | undefined)?.data?.id;
  const settled = await settleProfile(profile, owner, settlement, clock());
  return settled && send.decision.kind === "sent";
}

/** Profile updates, in each Klaviyo account's profiles lane: claimed, fair between its shops, beside events, never in their way. */
export const PROFILE_LANES: LaneKindOfWork<ClaimedProfile> = {
  name: "profiles",
  wakesOn: "event",
  readyLanes,
  work: { claim: claimDueProfiles, send: sendProfile, shopOf: (profile) => profile.shopId },
};

/** One pass over every profiles lane with updates due, for tests and one-off callers; returns how many were synced. */
export async function syncDueProfiles({ now = new Date(), owner = WORKER_ID } = {}): Promise<number> {
  const turns = await serveReadyLanesOnce(PROFILE_LANES, { owner, now });
  return turns.reduce((total, turn) => total + turn.sent, 0);
}

/** What a send's decision makes of a profile update: the same rules as for events. */
function settlementFor(decision: Decision, now: Date): ProfileSettlement {
  const later = (ms: number) => new Date(now.getTime() + ms);
  switch (decision.kind) {
    case "sent":
      return { to: PROFILE_STATUS.synced };
    case "wait_for_lane":
      return {
        to: PROFILE_STATUS.queued,
        attempts: decision.attempts,
        lastError: decision.detail,
        nextAttemptAt: later(decision.pauseMs),
      };
    case "refresh_then_hold":
      return {
        to: PROFILE_STATUS.queued,
        attempts: decision.attempts,
        lastError: decision.detail,
        nextAttemptAt: now,
      };
    case "retry":
      return {
        to: PROFILE_STATUS.queued,
        attempts: decision.attempts,
        lastError: decision.detail,
        nextAttemptAt: later(decision.afterMs),
      };
    case "dead_letter":
      return {
        to: PROFILE_STATUS.failed,
        attempts: decision.attempts,
        lastError: decision.detail,
      };
  }
}

/** The customer's profile updates, for customers/redact: a statement, run in the redaction's transaction. */
export function forgetProfiles(shopId: string, identities: string[]) {
  return prisma.customerProfile.deleteMany({ where: { shopId, identity: { in: identities } } });
}
