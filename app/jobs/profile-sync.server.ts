import { prisma } from "../db.server";
import { deliveryStats, profileAttributes } from "../klaviyo/profile";
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
import { WORKER_ID } from "./worker-id.server";

// A shop without a working connection is asked again this much later.
const NOT_CONNECTED_RETRY_MS = 60_000;

/**
 * Queues a profile update when what Klaviyo should know about the customer (name, contact,
 * delivery stats) differs from what it was last told. The latest order's name wins.
 */
export async function queueProfileSync(shopId: string, contact: Contact) {
  const identity = customerIdentity(contact);
  const profile = profileAttributes(contact);
  if (!identity || !profile) return;
  const attributes = JSON.stringify({
    ...profile,
    properties: deliveryStats(await shipmentsOfCustomer(shopId, identity)),
  });
  const existing = await prisma.customerProfile.findUnique({ where: { shopId_identity: { shopId, identity } } });
  if (
    existing &&
    (existing.sentAttributes === attributes ||
      (existing.status === PROFILE_STATUS.queued && existing.attributes === attributes))
  )
    return;
  await prisma.customerProfile.upsert({
    where: { shopId_identity: { shopId, identity } },
    create: { shopId, identity, attributes, status: PROFILE_STATUS.queued, nextAttemptAt: new Date() },
    // The lease stays: a change queued while an older one is out goes once that one is answered.
    update: { attributes, status: PROFILE_STATUS.queued, attempts: 0, nextAttemptAt: new Date(), lastError: null },
  });
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
  const settled = await settleProfile(profile, owner, settlementFor(send.decision, send.answeredAt), clock());
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
