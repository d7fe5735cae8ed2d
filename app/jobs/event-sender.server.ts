import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { KlaviyoConnection } from "@prisma/client";
import { env } from "../env.server";
import { log } from "../log.server";
import { EVENT_STATUS } from "../tracking/event-status";
import { recordAttempts } from "./event-queue/attempts.server";
import { CANCEL_REASONS, cancelQueued } from "./event-queue/cancel.server";
import {
  claimReadyEvents,
  releaseLeases,
  shopsWithReadyEvents,
  type ClaimedEvent,
  type Lease,
  type ShopWithReadyEvents,
} from "./event-queue/claim.server";
import { settleClaimed, settlementFor } from "./event-queue/settle.server";
import { sendInLane } from "./lane-send.server";
import { giveBackToLane, takeFromLane } from "./lane-store.server";
import { lanesByAccount, takingTurns } from "./lanes";
import { startPollingWorker } from "./polling-worker.server";
import { syncDueProfiles } from "./profile-sync.server";
import { fairShares } from "./rate-lane";

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

const inTurn = takingTurns();

/**
 * One pass of the delivery engine: every Klaviyo account's lane takes what its rate allows,
 * claims that many ready events shared fairly among the lane's shops, and sends them. Lanes are
 * served side by side, so a paused or saturated account never holds up another. At least once:
 * the frozen payload goes out with its unique_id, so a resend after a crash is recorded once.
 */
export async function sendDueEvents({
  now = new Date(),
  owner = WORKER_ID,
  batchPerLane = 25,
} = {}): Promise<DeliveryPass> {
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
  const connected = shops.flatMap(({ id, klaviyoConnection: connection }) =>
    connection?.status === "connected" ? [{ id, connection }] : [],
  );
  return lanesByAccount(connected, "events", (shop) => shop.connection.accountId).map(({ key, members }) => ({
    key,
    shops: members,
  }));
}

async function serveLane(lane: Lane, batch: number, lease: Lease, now: Date): Promise<DeliveryPass> {
  const { granted, waitMs } = await takeFromLane(lane.key, "events", batch, now.getTime());
  if (granted === 0) return { sent: 0, nextPassInMs: waitMs };
  const claimed = await claimFairly(lane, granted, lease, now);
  await giveBackToLane(lane.key, "events", granted - claimed.length, now.getTime());
  const connectionOf = new Map(lane.shops.map((shop) => [shop.id, shop.connection]));
  const sent = await Promise.all(
    claimed.map((event) => sendOne(event, connectionOf.get(event.shopId)!, lane.key, lease.owner, now)),
  );
  return { sent: sent.filter(Boolean).length, nextPassInMs: claimed.length === granted ? 0 : IDLE_POLL_MS };
}

/**
 * Splits the lane's sends evenly among its shops (a different shop first each pass); what a
 * shop cannot use goes to those that still have more. One shop's backlog of 100,000 events
 * takes its share, never another shop's.
 */
async function claimFairly(lane: Lane, granted: number, lease: Lease, now: Date): Promise<ClaimedEvent[]> {
  const shops = inTurn(lane.shops);
  const shares = fairShares(granted, shops.length);
  const claimed: ClaimedEvent[] = [];
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

async function sendOne(
  event: ClaimedEvent,
  connection: KlaviyoConnection,
  laneKeyOfEvent: string,
  owner: string,
  now: Date,
): Promise<boolean> {
  const send = await sendInLane({
    lane: { key: laneKeyOfEvent, kind: "events" },
    connection,
    attempts: event.attempts,
    now,
    call: (klaviyo) => klaviyo.createEvent(JSON.parse(event.payload!)),
  });
  if (send.held) {
    await settleClaimed([event.id], owner, { to: EVENT_STATUS.queued, nextAttemptAt: now });
    return false;
  }
  await recordAttempts([event.id], send.outcome, send.decision, now);
  const settled = (await settleClaimed([event.id], owner, settlementFor(send.decision, now))) === 1;
  if (send.decision.kind === "dead_letter" && send.decision.refused)
    log.warn("klaviyo refused an event", { eventId: event.id, detail: send.decision.detail });
  return send.decision.kind === "sent" && settled;
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
