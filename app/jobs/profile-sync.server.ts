import { prisma } from "../db.server";
import { klaviyoConnectionOf } from "../klaviyo/connection-store.server";
import { deliveryStats, profileAttributes } from "../klaviyo/profile";
import { customerIdentity } from "../tracking/contact";
import type { Contact } from "../tracking/normalize";
import { shipmentsOfCustomer } from "../tracking/tracking-store.server";
import { sendInLane } from "./lane-send.server";
import { takeFromLane } from "./lane-store.server";
import { laneKey } from "./lanes";
import type { Decision } from "./retry-policy";

/** Where a customer's profile update stands. */
const PROFILE_STATUS = { queued: "queued", synced: "synced", failed: "failed" } as const;

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
    create: { shopId, identity, attributes, status: PROFILE_STATUS.queued },
    update: { attributes, status: PROFILE_STATUS.queued, attempts: 0, nextAttemptAt: null, lastError: null },
  });
}

/** Sends queued profile updates (Create or Update Profile) for connected shops. */
export async function syncDueProfiles({ limit = 50, now = new Date() } = {}): Promise<number> {
  const due = await prisma.customerProfile.findMany({
    where: { status: PROFILE_STATUS.queued, OR: [{ nextAttemptAt: null }, { nextAttemptAt: { lte: now } }] },
    take: limit,
    orderBy: { updatedAt: "asc" },
  });
  let synced = 0;
  const askAgainLater = (id: string) =>
    prisma.customerProfile.update({
      where: { id },
      data: { nextAttemptAt: new Date(now.getTime() + NOT_CONNECTED_RETRY_MS) },
    });
  for (const profile of due) {
    const connection = await klaviyoConnectionOf(profile.shopId);
    if (!connection || connection.status !== "connected") {
      await askAgainLater(profile.id);
      continue;
    }
    const lane = laneKey(connection.accountId, "profiles");
    if ((await takeFromLane(lane, "profiles", 1, now.getTime())).granted === 0) continue;
    const send = await sendInLane({
      lane: { key: lane, kind: "profiles" },
      connection,
      attempts: profile.attempts,
      now,
      call: (klaviyo) => klaviyo.importProfile(JSON.parse(profile.attributes)),
    });
    if (send.held) {
      await askAgainLater(profile.id);
      continue;
    }
    if (send.decision.kind === "sent") {
      // Sent only if nothing newer was queued meanwhile; otherwise the newer one goes next.
      await prisma.customerProfile.updateMany({
        where: { id: profile.id, attributes: profile.attributes },
        data: {
          status: PROFILE_STATUS.synced,
          sentAttributes: profile.attributes,
          syncedAt: now,
          lastError: null,
          attempts: 0,
        },
      });
      synced++;
      continue;
    }
    await prisma.customerProfile.update({
      where: { id: profile.id },
      data: afterFailure(send.decision, send.answeredAt),
    });
  }
  return synced;
}

/** What a failed send's decision makes of a profile update: the same rules as for events. */
function afterFailure(decision: Exclude<Decision, { kind: "sent" }>, now: Date) {
  const later = (ms: number) => new Date(now.getTime() + ms);
  switch (decision.kind) {
    case "wait_for_lane":
      return {
        status: PROFILE_STATUS.queued,
        attempts: decision.attempts,
        lastError: decision.detail,
        nextAttemptAt: later(decision.pauseMs),
      };
    case "refresh_then_hold":
      return {
        status: PROFILE_STATUS.queued,
        attempts: decision.attempts,
        lastError: decision.detail,
        nextAttemptAt: now,
      };
    case "retry":
      return {
        status: PROFILE_STATUS.queued,
        attempts: decision.attempts,
        lastError: decision.detail,
        nextAttemptAt: later(decision.afterMs),
      };
    case "dead_letter":
      return {
        status: PROFILE_STATUS.failed,
        attempts: decision.attempts,
        lastError: decision.detail,
        nextAttemptAt: null,
      };
  }
}

/** The customer's profile updates, for customers/redact: a statement, run in the redaction's transaction. */
export function forgetProfiles(shopId: string, identities: string[]) {
  return prisma.customerProfile.deleteMany({ where: { shopId, identity: { in: identities } } });
}
