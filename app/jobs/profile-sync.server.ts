import { prisma } from "../db.server";
import { credentialOf } from "../klaviyo/connection-store.server";
import { klaviyoApi } from "../klaviyo/klaviyo-config.server";
import { deliveryStats, profileAttributes, profileImportBody } from "../klaviyo/profile";
import { customerIdentity } from "../tracking/contact";
import type { Contact } from "../tracking/normalize";
import { shipmentsOfCustomer } from "../tracking/tracking-store.server";
import { laneKey, pauseLaneFor, takeFromLane } from "./lane-store.server";
import { MAX_SEND_ATTEMPTS, retryDelayMs } from "./retry-policy";

/**
 * Queues a profile update when what Klaviyo should know about the customer (name, contact,
 * delivery stats) differs from what it was last told. The latest order's name wins.
 */
export async function queueProfileSync(shopId: string, contact: Contact) {
  const identity = customerIdentity(contact);
  const profile = profileAttributes(contact);
  if (!identity || !profile) return;
  const attributes = JSON.stringify({ ...profile, properties: deliveryStats(await shipmentsOfCustomer(shopId, identity)) });
  const existing = await prisma.customerProfile.findUnique({ where: { shopId_identity: { shopId, identity } } });
  if (existing && (existing.sentAttributes === attributes || (existing.status === "queued" && existing.attributes === attributes))) return;
  await prisma.customerProfile.upsert({
    where: { shopId_identity: { shopId, identity } },
    create: { shopId, identity, attributes, status: "queued" },
    update: { attributes, status: "queued", attempts: 0, nextAttemptAt: null, lastError: null },
  });
}

/** Sends queued profile updates (Create or Update Profile) for connected shops. */
export async function syncDueProfiles({ limit = 50, now = new Date() } = {}): Promise<number> {
  const due = await prisma.customerProfile.findMany({
    where: { status: "queued", OR: [{ nextAttemptAt: null }, { nextAttemptAt: { lte: now } }] },
    take: limit,
    orderBy: { updatedAt: "asc" },
  });
  let synced = 0;
  for (const profile of due) {
    const connection = await prisma.klaviyoConnection.findUnique({ where: { shopId: profile.shopId } });
    if (!connection || connection.status !== "connected") {
      await prisma.customerProfile.update({ where: { id: profile.id }, data: { nextAttemptAt: new Date(now.getTime() + 60_000) } });
      continue;
    }
    const lane = laneKey(connection.accountId, "profiles");
    if ((await takeFromLane(lane, "profiles", 1, now.getTime())).granted === 0) continue;
    const outcome = await klaviyoApi(credentialOf(connection)).request("POST", "/api/profile-import", profileImportBody(JSON.parse(profile.attributes)));
    if (!outcome.ok && outcome.kind === "rate_limited") await pauseLaneFor(lane, "profiles", outcome.retryAfterMs, now.getTime());
    // Sent only if nothing newer was queued meanwhile; otherwise the newer one goes next.
    if (outcome.ok) {
      await prisma.customerProfile.updateMany({
        where: { id: profile.id, attributes: profile.attributes },
        data: { status: "synced", sentAttributes: profile.attributes, syncedAt: now, lastError: null, attempts: 0 },
      });
      synced++;
      continue;
    }
    const attempts = profile.attempts + 1;
    const retry = outcome.kind === "rate_limited" || outcome.kind === "server_error" || outcome.kind === "network";
    const giveUp = !retry || attempts >= MAX_SEND_ATTEMPTS;
    await prisma.customerProfile.update({
      where: { id: profile.id },
      data: {
        status: giveUp ? "failed" : "queued",
        attempts: outcome.kind === "rate_limited" ? profile.attempts : attempts,
        lastError: outcome.detail,
        nextAttemptAt: giveUp
          ? null
          : new Date(now.getTime() + (outcome.kind === "rate_limited" ? outcome.retryAfterMs : retryDelayMs(attempts))),
      },
    });
  }
  return synced;
}

/** The customer's profile updates, for customers/redact: a statement, run in the redaction's transaction. */
export function forgetProfiles(shopId: string, identities: string[]) {
  return prisma.customerProfile.deleteMany({ where: { shopId, identity: { in: identities } } });
}
