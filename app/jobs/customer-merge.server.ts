import { prisma } from "../db.server";
import { readCustomerMerge } from "../platform/customer-merge";
import { sendInLane } from "./lane-send.server";
import { takeFromLane } from "./lane-store.server";
import { laneKey } from "./lanes";

/** What a customers/merge came to, for its receipt (and so for Activity's store updates). */
export type MergeResult = { processed: string } | { ignored: string } | { waiting: string; detail: string };

const WAITING_FOR_KLAVIYO = "waiting for Klaviyo";

/**
 * customers/merge: Shopify merged two customers, so their Klaviyo profiles are merged too (Merge
 * Profiles, the one Waypost sent for the customer merged away into the kept one's), in the
 * account's merges lane. Only a completed merge counts; a customer Waypost never sent to Klaviyo
 * leaves nothing to merge. Afterwards both profile rows name the kept customer, so what Waypost
 * asks Shopify about them (store credit) goes to the customer that still exists.
 */
export async function mergeCustomerProfiles(shopId: string, payload: unknown, attempts: number): Promise<MergeResult> {
  const read = readCustomerMerge(payload);
  if (!read.ok) return { ignored: read.reason };
  const { keptCustomerId, deletedCustomerId, status, errors } = read.merge;
  if (status !== "completed")
    return {
      ignored: `Shopify did not complete this merge (${status}${errors.length ? `: ${errors.join("; ")}` : ""}): nothing merged in Klaviyo`,
    };
  const rows = await prisma.customerProfile.findMany({
    where: { shopId, shopifyCustomerId: { in: [keptCustomerId, deletedCustomerId] } },
    select: { id: true, shopifyCustomerId: true, klaviyoProfileId: true },
  });
  const kept = rows.find((row) => row.shopifyCustomerId === keptCustomerId);
  const merged = rows.filter((row) => row.shopifyCustomerId === deletedCustomerId);
  const repoint = () =>
    prisma.customerProfile.updateMany({
      where: { id: { in: merged.map((row) => row.id) } },
      data: {
        shopifyCustomerId: keptCustomerId,
        ...(kept?.klaviyoProfileId ? { klaviyoProfileId: kept.klaviyoProfileId } : {}),
      },
    });
  const source = merged.find((row) => row.klaviyoProfileId && row.klaviyoProfileId !== kept?.klaviyoProfileId);
  if (merged.length === 0 || !kept || !source) {
    await repoint();
    return {
      processed:
        merged.length === 0 || !kept
          ? `Shopify merged ${deletedCustomerId} into ${keptCustomerId}; Waypost sent Klaviyo a profile for at most one of them: nothing to merge in Klaviyo`
          : `Shopify merged ${deletedCustomerId} into ${keptCustomerId}; both already share one Klaviyo profile`,
    };
  }
  if (!kept.klaviyoProfileId)
    return { waiting: WAITING_FOR_KLAVIYO, detail: "the kept customer's profile has not reached Klaviyo yet" };

  const connection = await prisma.klaviyoConnection.findUnique({ where: { shopId } });
  if (!connection) return { ignored: "Klaviyo is not connected: the customers' Klaviyo profiles were not merged" };
  const lane = { key: laneKey(connection.accountId, "merges"), kind: "merges" as const };
  const { granted, waitMs } = await takeFromLane(lane.key, lane.kind, 1);
  if (granted === 0)
    return {
      waiting: WAITING_FOR_KLAVIYO,
      detail: `Klaviyo's merge limit is used up for ${Math.ceil(waitMs / 1000)} s`,
    };
  const send = await sendInLane({
    lane,
    connection,
    attempts,
    now: new Date(),
    call: (klaviyo) => klaviyo.mergeProfiles(kept.klaviyoProfileId!, source.klaviyoProfileId!),
  });
  if (send.held) return { waiting: WAITING_FOR_KLAVIYO, detail: "Klaviyo needs to be reconnected" };
  if (send.outcome.ok) {
    await repoint();
    return {
      processed: `Merged Klaviyo profile ${source.klaviyoProfileId} into ${kept.klaviyoProfileId}, as Shopify merged ${deletedCustomerId} into ${keptCustomerId}`,
    };
  }
  if (send.decision.kind === "dead_letter")
    return { ignored: `Klaviyo refused the profile merge: ${send.outcome.detail}` };
  return { waiting: WAITING_FOR_KLAVIYO, detail: send.outcome.detail };
}
