import type { TrackingEvent } from "@prisma/client";
import { prisma } from "../db.server";
import { credentialOf, markNeedsReconnect } from "../klaviyo/connection-store.server";
import { klaviyoApi } from "../klaviyo/klaviyo-config.server";
import { refreshConnection } from "../klaviyo/token-refresh.server";
import { needsRefresh } from "../klaviyo/token-timing";
import { log } from "../log.server";
import { laneFor } from "./lanes.server";
import { startPollingWorker } from "./polling-worker.server";
import { syncDueProfiles } from "./profile-sync.server";
import { roundRobin } from "./rate-lane";
import { attemptOutcome, MAX_SEND_ATTEMPTS, retryDelayMs } from "./retry-policy";

const STALE_CLAIM_MS = 5 * 60_000;
const HOLD_WHILE_DISCONNECTED_MS = 60_000;

/**
 * Sends queued events to Klaviyo, at least once each: the frozen payload goes out with its
 * unique_id, so a resend after a crash or timeout is recorded only once by Klaviyo.
 * Rate lanes live in this process; limits shared by many worker processes come with the
 * multi-process delivery engine.
 */
export async function sendDueEvents({ perShop = 25, now = new Date() } = {}): Promise<number> {
  await prisma.trackingEvent.updateMany({
    where: { status: "sending", nextAttemptAt: { lt: new Date(now.getTime() - STALE_CLAIM_MS) } },
    data: { status: "queued" },
  });
  const dueWhere = { status: "queued", OR: [{ nextAttemptAt: null }, { nextAttemptAt: { lte: now } }] };
  // A few events from every shop with work, then one per Klaviyo account in turn: one store's
  // backlog never holds back another's events.
  const shops = await prisma.trackingEvent.groupBy({ by: ["shopId"], where: dueWhere, orderBy: { shopId: "asc" }, take: 500 });
  const batches = await Promise.all(
    shops.map(({ shopId }) =>
      prisma.trackingEvent.findMany({
        where: { ...dueWhere, shopId },
        orderBy: { detectedAt: "asc" },
        take: perShop,
        include: { shop: { select: { klaviyoConnection: { select: { accountId: true } } } } },
      }),
    ),
  );
  const due = roundRobin(batches.flat(), (event) => event.shop.klaviyoConnection?.accountId ?? `shop:${event.shopId}`);
  let sent = 0;
  for (const event of due) {
    const accountId = event.shop.klaviyoConnection?.accountId;
    // A lane at its limit (or paused by a 429) waits; the others keep flowing.
    if (accountId && laneFor(accountId, "events").waitMs(now.getTime()) > 0) continue;
    const claimed = await prisma.trackingEvent.updateMany({
      where: { id: event.id, status: "queued" },
      data: { status: "sending", nextAttemptAt: now },
    });
    if (claimed.count === 1 && (await sendOne(event, now))) sent++;
  }
  return sent;
}

async function sendOne(event: TrackingEvent, now: Date): Promise<boolean> {
  const settle = (data: Partial<TrackingEvent>) => prisma.trackingEvent.update({ where: { id: event.id }, data });
  let connection = await prisma.klaviyoConnection.findUnique({ where: { shopId: event.shopId } });
  if (!connection) {
    await settle({ status: "cancelled", skipReason: "Klaviyo was disconnected before this event was sent" });
    return false;
  }
  if (connection.method === "oauth" && needsRefresh(connection, now)) {
    await refreshConnection(connection, now);
    connection = await prisma.klaviyoConnection.findUniqueOrThrow({ where: { id: connection.id } });
  }
  if (connection.status !== "connected") {
    // Held, not dropped: it goes out once the merchant reconnects.
    await settle({ status: "queued", nextAttemptAt: new Date(now.getTime() + HOLD_WHILE_DISCONNECTED_MS) });
    return false;
  }

  const lane = laneFor(connection.accountId, "events");
  lane.take(now.getTime());
  const outcome = await klaviyoApi(credentialOf(connection)).request("POST", "/api/events", JSON.parse(event.payload!));
  const attempts = event.attempts + 1;
  await prisma.deliveryAttempt.create({
    data: {
      trackingEventId: event.id,
      attemptedAt: now,
      httpStatus: outcome.status,
      outcome: attemptOutcome(outcome, attempts),
      latencyMs: outcome.latencyMs ?? 0,
      detail: outcome.ok ? null : outcome.detail.slice(0, 2000),
      requestId: outcome.requestId ?? null,
    },
  });
  if (outcome.ok) {
    await settle({ status: "sent", sentAt: new Date(), attempts, lastError: null, nextAttemptAt: null });
    return true;
  }
  switch (outcome.kind) {
    case "rate_limited":
      // Klaviyo's limit, not a failure of this event: the lane waits as told, no attempt spent.
      lane.pause(outcome.retryAfterMs, now.getTime());
      await settle({ status: "queued", nextAttemptAt: new Date(now.getTime() + outcome.retryAfterMs), lastError: outcome.detail });
      return false;
    case "unauthorized":
    case "forbidden": {
      // An OAuth token may just need refreshing; refresh once, and only then ask the merchant.
      const refreshed = connection.method === "oauth" && outcome.kind === "unauthorized" && (await refreshConnection(connection, now)) === "refreshed";
      if (!refreshed) {
        await markNeedsReconnect(connection.id, "Klaviyo refused Waypost's access. Reconnect Klaviyo to resume sending events.");
      }
      await settle({
        status: "queued",
        nextAttemptAt: refreshed ? now : new Date(now.getTime() + HOLD_WHILE_DISCONNECTED_MS),
        lastError: outcome.detail,
      });
      return false;
    }
    case "invalid":
      await settle({ status: "failed", attempts, lastError: `Klaviyo refused the event: ${outcome.detail}` });
      log.warn("klaviyo refused an event", { eventId: event.id, detail: outcome.detail });
      return false;
    default: {
      const giveUp = attempts >= MAX_SEND_ATTEMPTS;
      await settle({
        status: giveUp ? "failed" : "queued",
        attempts,
        lastError: outcome.detail,
        nextAttemptAt: giveUp ? null : new Date(now.getTime() + retryDelayMs(attempts)),
      });
      return false;
    }
  }
}

/** Sends events and profile updates in this process, as soon as they are queued. */
export function startEventSender({ pollMs = 1000 } = {}) {
  return startPollingWorker("event", async () => {
    await sendDueEvents();
    await syncDueProfiles();
  }, pollMs);
}
