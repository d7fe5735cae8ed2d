import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { KlaviyoConnection, TrackingEvent } from "@prisma/client";
import { prisma } from "../db.server";
import { env } from "../env.server";
import { credentialOf, markNeedsReconnect } from "../klaviyo/connection-store.server";
import { klaviyoApi } from "../klaviyo/klaviyo-config.server";
import { refreshConnection } from "../klaviyo/token-refresh.server";
import { needsRefresh } from "../klaviyo/token-timing";
import { log } from "../log.server";
import { CANCEL_REASONS, cancelQueued } from "./event-queue/cancel.server";
import { claimReadyEvents, reclaimExpiredLeases, releaseLeases, shopsWithReadyEvents, type Lease, type ShopWithReadyEvents } from "./event-queue/claim.server";
import { EVENT_STATUS } from "../tracking/event-status";
import { settleClaimed, type Settlement } from "./event-queue/settle.server";
import { giveBackToLane, laneKey, pauseLaneFor, takeFromLane } from "./lane-store.server";
import { startPollingWorker } from "./polling-worker.server";
import { syncDueProfiles } from "./profile-sync.server";
import { fairShares } from "./rate-lane";
import { attemptOutcome, MAX_SEND_ATTEMPTS, retryDelayMs } from "./retry-policy";
import type { KlaviyoOutcome } from "../klaviyo/outcome";
import type { LaneKind } from "../config/lane-limits";

/** This process, as the owner of the leases it takes. */
export const WORKER_ID = `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;

const IDLE_POLL_MS = 1000;

export interface DeliveryPass {
  sent: number;
  /** When this worker should look again: 0 when more is ready now. */
  nextPassInMs: number;
}

interface Lane {
  key: string;
  shops: Array<{ id: string; connection: KlaviyoConnection }>;
}

let rotation = 0;

/**
 * One pass of the delivery engine: every Klaviyo account's lane takes what its rate allows,
 * claims that many ready events shared fairly among the lane's shops, and sends them. Lanes are
 * served side by side, so a paused or saturated account never holds up another. At least once:
 * the frozen payload goes out with its unique_id, so a resend after a crash is recorded once.
 */
export async function sendDueEvents({ now = new Date(), owner = WORKER_ID, batchPerLane = 25 } = {}): Promise<DeliveryPass> {
  await reclaimExpiredLeases(now);
  const shops = await shopsWithReadyEvents(now);
  await cancelForDisconnectedShops(shops.filter((shop) => !shop.klaviyoConnection));
  const lanes = lanesOf(shops);
  const lease = { owner, until: new Date(now.getTime() + env.workerLeaseMs) };
  const results = await Promise.all(lanes.map((lane) => serveLane(lane, batchPerLane, lease, now)));
  return {
    sent: results.reduce((total, result) => total + result.sent, 0),
    nextPassInMs: Math.min(IDLE_POLL_MS, ...results.map((result) => result.nextPassInMs)),
  };
}

/** Groups shops by Klaviyo account. Shops waiting for a reconnect are held, not served. */
function lanesOf(shops: ShopWithReadyEvents[]): Lane[] {
  const lanes = new Map<string, Lane>();
  for (const shop of shops) {
    const connection = shop.klaviyoConnection;
    if (!connection || connection.status !== "connected") continue;
    const key = laneKey(connection.accountId, "events");
    const lane = lanes.get(key) ?? { key, shops: [] };
    lane.shops.push({ id: shop.id, connection });
    lanes.set(key, lane);
  }
  return [...lanes.values()];
}

async function serveLane(lane: Lane, batch: number, lease: Lease, now: Date): Promise<DeliveryPass> {
  const { granted, waitMs } = await takeFromLane(lane.key, "events", batch, now.getTime());
  if (granted === 0) return { sent: 0, nextPassInMs: waitMs };
  const claimed = await claimFairly(lane, granted, lease, now);
  await giveBackToLane(lane.key, "events", granted - claimed.length, now.getTime());
  const connectionOf = new Map(lane.shops.map((shop) => [shop.id, shop.connection]));
  const sent = await Promise.all(claimed.map((event) => sendOne(event, connectionOf.get(event.shopId)!, lane.key, lease.owner, now)));
  return { sent: sent.filter(Boolean).length, nextPassInMs: claimed.length === granted ? 0 : IDLE_POLL_MS };
}

/**
 * Splits the lane's sends evenly among its shops (a different shop first each pass); what a
 * shop cannot use goes to those that still have more. One shop's backlog of 100,000 events
 * takes its share, never another shop's.
 */
async function claimFairly(lane: Lane, granted: number, lease: Lease, now: Date): Promise<TrackingEvent[]> {
  const start = rotation++ % lane.shops.length;
  const shops = [...lane.shops.slice(start), ...lane.shops.slice(0, start)];
  const shares = fairShares(granted, shops.length);
  const claimed: TrackingEvent[] = [];
  const hungry: string[] = [];
  for (const [index, shop] of shops.entries()) {
    const events = await claimReadyEvents(shop.id, shares[index], lease, now);
    claimed.push(...events);
    if (shares[index] > 0 && events.length === shares[index]) hungry.push(shop.id);
  }
  for (const shopId of hungry) {
    if (claimed.length >= granted) break;
    claimed.push(...(await claimReadyEvents(shopId, granted - claimed.length, lease, now)));
  }
  return claimed;
}

async function cancelForDisconnectedShops(shops: ShopWithReadyEvents[]) {
  if (shops.length === 0) return;
  await cancelQueued({ shopId: shops.map((shop) => shop.id) }, CANCEL_REASONS.disconnected);
}

async function sendOne(event: TrackingEvent, connection: KlaviyoConnection, laneKeyOfEvent: string, owner: string, now: Date): Promise<boolean> {
  const settle = async (settlement: Settlement) => (await settleClaimed([event.id], owner, settlement)) === 1;
  const usable = await usableConnection(connection, now);
  if (!usable) return settle({ to: EVENT_STATUS.queued, nextAttemptAt: now }).then(() => false);

  const outcome = await klaviyoApi(credentialOf(usable)).request("POST", "/api/events", JSON.parse(event.payload!));
  const attempts = attemptsAfter(outcome, event.attempts);
  await prisma.deliveryAttempt.create({ data: attemptRecord(event.id, outcome, attempts, now) });
  if (outcome.ok) return settle({ to: EVENT_STATUS.sent, attempts });
  await settleFailure(outcome, { connection: usable, lane: { key: laneKeyOfEvent, kind: "events" }, attempts, now, settle });
  if (outcome.kind === "invalid") log.warn("klaviyo refused an event", { eventId: event.id, detail: outcome.detail });
  return false;
}

/** The connection to send with, refreshed first if its OAuth token is about to expire; null while it needs a reconnect. */
export async function usableConnection(connection: KlaviyoConnection, now: Date): Promise<KlaviyoConnection | null> {
  if (connection.method !== "oauth" || !needsRefresh(connection, now)) return connection;
  await refreshConnection(connection, now);
  const refreshed = await prisma.klaviyoConnection.findUniqueOrThrow({ where: { id: connection.id } });
  return refreshed.status === "connected" ? refreshed : null;
}

/** A 429 spends no attempt: it is Klaviyo's limit, not a failure of the event. */
export const attemptsAfter = (outcome: KlaviyoOutcome<unknown>, attempts: number) => (outcome.ok || outcome.kind !== "rate_limited" ? attempts + 1 : attempts);

export function attemptRecord(trackingEventId: string, outcome: KlaviyoOutcome<unknown>, attempts: number, now: Date) {
  return {
    trackingEventId,
    attemptedAt: now,
    httpStatus: outcome.status,
    outcome: attemptOutcome(outcome, attempts),
    latencyMs: outcome.latencyMs ?? 0,
    detail: outcome.ok ? null : outcome.detail.slice(0, 2000),
    requestId: outcome.requestId ?? null,
  };
}

/**
 * What a failed send leads to, for one event or a bulk request's worth: wait out a 429 (the
 * whole lane), hold for a reconnect, dead-letter what can never succeed, or retry later.
 */
export async function settleFailure(
  outcome: Extract<KlaviyoOutcome<unknown>, { ok: false }>,
  { connection, lane, attempts, now, settle }: { connection: KlaviyoConnection; lane: { key: string; kind: LaneKind }; attempts: number; now: Date; settle: (settlement: Settlement) => Promise<unknown> },
) {
  switch (outcome.kind) {
    case "rate_limited":
      // Klaviyo's limit, not a failure of this event: the whole lane waits as told, in every
      // worker process, and no attempt is spent.
      await pauseLaneFor(lane.key, lane.kind, outcome.retryAfterMs, now.getTime());
      await settle({ to: EVENT_STATUS.queued, nextAttemptAt: new Date(now.getTime() + outcome.retryAfterMs), lastError: outcome.detail });
      return;
    case "unauthorized":
    case "forbidden": {
      // An OAuth token may just need refreshing; refresh once, and only then ask the merchant.
      // Until then the shop's events are held (not claimed), and go out after the reconnect.
      const refreshed = connection.method === "oauth" && outcome.kind === "unauthorized" && (await refreshConnection(connection, now)) === "refreshed";
      if (!refreshed) {
        await markNeedsReconnect(connection.id, "Klaviyo refused Waypost's access. Reconnect Klaviyo to resume sending events.");
      }
      await settle({ to: EVENT_STATUS.queued, nextAttemptAt: now, lastError: outcome.detail });
      return;
    }
    case "invalid":
      // Sending the same payload again cannot succeed: a dead letter at once, with Klaviyo's reason.
      await settle({ to: EVENT_STATUS.dead_lettered, attempts, lastError: `Klaviyo refused the event: ${outcome.detail}` });
      return;
    default: {
      const giveUp = attempts >= MAX_SEND_ATTEMPTS;
      await settle(
        giveUp
          ? { to: EVENT_STATUS.dead_lettered, attempts, lastError: outcome.detail }
          : { to: EVENT_STATUS.queued, attempts, lastError: outcome.detail, nextAttemptAt: new Date(now.getTime() + retryDelayMs(attempts)) },
      );
    }
  }
}

/**
 * Sends events and profile updates in this process: at once when work is queued here, as
 * soon as a lane has room, and every second for work queued by other processes.
 */
export function startEventSender({ owner = WORKER_ID } = {}) {
  const worker = startPollingWorker(
    "event",
    async () => {
      const pass = await sendDueEvents({ owner });
      await syncDueProfiles();
      return { runAgainInMs: pass.nextPassInMs };
    },
    IDLE_POLL_MS,
  );
  return {
    async stop() {
      // Sends in flight finish (each within Klaviyo's request timeout); anything still held is released.
      await worker.stop();
      const released = await releaseLeases(owner);
      if (released) log.info("released leases on shutdown", { released });
    },
  };
}
