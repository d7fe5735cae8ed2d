import type { KlaviyoConnection } from "@prisma/client";
import { prisma } from "../../db.server";
import { recordUnsubscribes } from "../../klaviyo/consent-changes.server";
import { UNSUBSCRIBE_METRICS, unsubscribeEventsPath, unsubscribesOfPage } from "../../klaviyo/consent-webhooks";
import { ownEntry } from "../../own-entry";
import { accountMetrics } from "../klaviyo-reads/account-metrics.server";
import { readInLane } from "../klaviyo-reads/read-in-lane.server";

/** How often shops without webhooks have their unsubscribes read. */
export const CONSENT_POLL_EVERY_MS = 5 * 60_000;
// Each read looks a minute back past the cursor: Klaviyo files events late; ids dedupe the overlap.
const OVERLAP_MS = 60_000;
const MAX_PAGES = 10;

/** Reads new unsubscribes of every shop that has consent sync on without a webhook. Returns how many were new. */
export async function pollConsentChanges(now = new Date()): Promise<number> {
  const syncs = await prisma.consentSync.findMany({
    where: { enabled: true, mode: "poll" },
    include: { shop: { include: { klaviyoConnection: true } } },
  });
  let recorded = 0;
  for (const sync of syncs) {
    const connection = sync.shop.klaviyoConnection;
    if (!connection || connection.status !== "connected" || sync.shop.uninstalledAt) continue;
    recorded += await pollShop(sync.shopId, connection, sync.pollCursor ?? sync.enabledAt ?? now, now);
  }
  return recorded;
}

/**
 * One shop's poll: Klaviyo's two unsubscribe metrics (Get Metrics, cached), then each one's
 * events since the cursor (Get Events with the profile's email and phone), in the account's
 * consent lane. The cursor moves only once every page was read, to the newest event seen.
 */
export async function pollShop(shopId: string, connection: KlaviyoConnection, cursor: Date, now = new Date()) {
  const { metrics, error } = await accountMetrics(connection);
  const watched = (metrics ?? []).flatMap((metric) => {
    const channel = ownEntry(UNSUBSCRIBE_METRICS, metric.name);
    return channel ? [{ id: metric.id, channel }] : [];
  });
  if (!metrics) return settlePoll(shopId, { error: error ?? "Klaviyo's metrics could not be read", now });
  let newest = cursor;
  let recorded = 0;
  const since = new Date(cursor.getTime() - OVERLAP_MS);
  for (const metric of watched) {
    let path: string | undefined = unsubscribeEventsPath(metric.id, since);
    for (let page = 0; path && page < MAX_PAGES; page++) {
      const currentPath: string = path;
      const read = await readInLane(connection, "consent", (klaviyo) => klaviyo.getEventsPage(currentPath), {
        forbidden: "Klaviyo did not let Waypost read unsubscribe events (events:read). Reconnect Klaviyo to grant it.",
      });
      if (!read.ok) return settlePoll(shopId, { error: read.message, now });
      const unsubscribes = unsubscribesOfPage(read.data, metric.channel);
      recorded += await recordUnsubscribes(shopId, "poll", unsubscribes);
      for (const change of unsubscribes) if (change.occurredAt > newest) newest = change.occurredAt;
      path = read.data.links?.next ?? undefined;
    }
  }
  await settlePoll(shopId, { cursor: newest, now });
  return recorded;
}

async function settlePoll(shopId: string, { cursor, error, now }: { cursor?: Date; error?: string; now: Date }) {
  await prisma.consentSync.update({
    where: { shopId },
    data: { polledAt: now, pollError: error ?? null, ...(cursor ? { pollCursor: cursor } : {}) },
  });
  return 0;
}
