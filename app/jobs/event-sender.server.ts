import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { KlaviyoConnection } from "@prisma/client";
import { env } from "../env.server";
import { errorSummary, log } from "../log.server";
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
import { saveLane, takeLane } from "./lane-store.server";
import { lanesByAccount, takingTurns } from "./lanes";
import { startPollingWorker } from "./polling-worker.server";
import { syncDueProfiles } from "./profile-sync.server";
import { fairShares, pauseLane, returnTokens, takeTokens, type LaneState } from "./rate-lane";

/** This process, as the owner of the leases and lanes it takes. */
export const WORKER_ID = `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;

const IDLE_POLL_MS = 1000;
// While lanes are being served, ready lanes are looked for this often.
const BUSY_POLL_MS = 200;
// Lanes one process serves at once; the rest wait for the next look, in turn.
const MAX_LANES_AT_ONCE = 64;
// Klaviyo's request timeout, and a margin: how long past its quantum an owner can still be sending.
const LAST_ANSWER_MS = 10_000 + 2_000;
// With no tokens left, wait at least this long for more, so sends go out in batches, not one by one.
const MIN_REFILL_WAIT_MS = 50;

/** How long a lane's owner keeps it: then the lane goes back, so every account gets its turn. */
export interface Quantum {
  maxMs: number;
  maxEvents: number;
  /** Requests to Klaviyo at once in one lane. */
  maxInFlight: number;
}

export const QUANTUM: Quantum = { maxMs: 1000, maxEvents: 1000, maxInFlight: 16 };

export interface DeliveryPass {
  sent: number;
  /** When this worker should look again: 0 when more is ready now. */
  nextPassInMs: number;
}

interface Lane {
  key: string;
  shops: Array<{ id: string; connection: KlaviyoConnection }>;
}

/** How one lane's quantum ended: it had nothing more ready, ran out of its quantum with more, was paused by a 429, or another process holds it. */
type LaneTurn =
  | { sent: number; ended: "drained" | "more" }
  | { sent: number; ended: "paused"; until: number }
  | { sent: 0; ended: "held_elsewhere" };

const inTurn = takingTurns();

/**
 * One pass for tests and one-off callers: every ready lane is served one quantum, side by side,
 * and the pass returns when all are over. The running worker (startEventSender) never waits
 * for all lanes: each lane's quantum runs on its own. At least once: the frozen payload goes
 * out with its unique_id, so a resend after a crash is recorded once.
 */
export async function sendDueEvents({
  now = new Date(),
  owner = WORKER_ID,
  batchPerLane = QUANTUM.maxEvents,
} = {}): Promise<DeliveryPass> {
  const lanes = await readyLanes(now);
  const turns = await Promise.all(
    lanes.map((lane) => serveLane(lane, { owner, now, quantum: { ...QUANTUM, maxEvents: batchPerLane } })),
  );
  return {
    sent: turns.reduce((total, turn) => total + turn.sent, 0),
    nextPassInMs: turns.some((turn) => turn.ended === "more") ? 0 : IDLE_POLL_MS,
  };
}

/** The lanes with live events ready now, each with its ready shops; shops no longer connected have their events cancelled. */
async function readyLanes(now: Date): Promise<Lane[]> {
  const shops = await shopsWithReadyEvents(now);
  await cancelForDisconnectedShops(shops.filter((shop) => !shop.klaviyoConnection));
  return lanesOf(shops);
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

/** Time as the lane sees it: `now` when its quantum began, moving on with the wall clock. */
function clockFrom(now: Date) {
  const startedAt = Date.now();
  return () => new Date(now.getTime() + (Date.now() - startedAt));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One quantum of one lane, by its one owner: takes the lane (its buckets, once), claims ready
 * events round-robin over the lane's shops as tokens and the in-flight bound allow, settles each
 * event as its own answer arrives, stops claiming at the first 429 (the lane is paused from that
 * answer's arrival, at once in the database too), and gives the lane back, buckets written once,
 * when the quantum is over or nothing more is ready. A slow account holds up only its own lane.
 */
export async function serveLane(
  lane: Lane,
  { owner, now, quantum }: { owner: string; now: Date; quantum: Quantum },
): Promise<LaneTurn> {
  const clock = clockFrom(now);
  const limit = env.laneLimits.events;
  const taken = await takeLane(
    lane.key,
    "events",
    owner,
    clock().getTime(),
    clock().getTime() + quantum.maxMs + LAST_ANSWER_MS,
  );
  if (!taken) return { sent: 0, ended: "held_elsewhere" };
  let state: LaneState = taken;
  const endsAt = clock().getTime() + quantum.maxMs;
  const shops = inTurn(lane.shops);
  const connectionOf = new Map(lane.shops.map((shop) => [shop.id, shop.connection]));
  const inFlight = new Set<Promise<void>>();
  let budget = quantum.maxEvents;
  let sent = 0;
  let drained = false;
  const rateLimited = () => state.pausedUntil > clock().getTime();
  const pause = async (pauseMs: number, arrivedAt: Date) => {
    state = pauseLane(state, pauseMs, arrivedAt.getTime());
    await saveLane(lane.key, owner, state);
  };
  try {
    while (!drained && budget > 0 && !rateLimited() && clock().getTime() < endsAt) {
      const room = Math.min(quantum.maxInFlight - inFlight.size, budget);
      if (room <= 0) {
        await Promise.race(inFlight);
        continue;
      }
      const tokens = takeTokens(state, limit, room, clock().getTime());
      state = tokens.state;
      if (tokens.granted === 0) {
        const waitMs = Math.max(tokens.waitMs, MIN_REFILL_WAIT_MS);
        if (clock().getTime() + waitMs >= endsAt) break;
        await sleep(waitMs);
        continue;
      }
      const lease = { owner, until: new Date(clock().getTime() + env.workerLeaseMs) };
      const claimed = await claimFairly(shops, tokens.granted, lease, clock());
      state = returnTokens(state, limit, tokens.granted - claimed.length);
      drained = claimed.length < tokens.granted;
      budget -= claimed.length;
      for (const event of claimed) {
        const send: Promise<void> = sendOne(event, connectionOf.get(event.shopId)!, lane.key, owner, clock, pause)
          .then((delivered) => {
            if (delivered) sent++;
          })
          .finally(() => inFlight.delete(send));
        inFlight.add(send);
      }
    }
    // Only this lane's own sends are waited for.
    await Promise.all(inFlight);
  } finally {
    await saveLane(lane.key, owner, state, { release: true });
  }
  if (state.pausedUntil > clock().getTime()) return { sent, ended: "paused", until: state.pausedUntil };
  return { sent, ended: drained ? "drained" : "more" };
}

/**
 * Splits the lane's sends evenly among its shops (a different shop first each quantum); what a
 * shop cannot use goes to those that still have more. One shop's backlog of 100,000 events
 * takes its share, never another shop's.
 */
async function claimFairly(shops: Lane["shops"], granted: number, lease: Lease, now: Date): Promise<ClaimedEvent[]> {
  const shares = fairShares(granted, shops.length);
  const claimed: ClaimedEvent[] = [];
  const hungry: string[] = [];
  for (const [index, shop] of shops.entries()) {
    if (shares[index] === 0) continue;
    const events = await claimReadyEvents(shop.id, shares[index], lease, now);
    claimed.push(...events);
    if (events.length === shares[index]) hungry.push(shop.id);
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

/** Sends one event and settles it as its answer arrives: the attempt at its own time, a retry counted from the answer. */
async function sendOne(
  event: ClaimedEvent,
  connection: KlaviyoConnection,
  laneKeyOfEvent: string,
  owner: string,
  clock: () => Date,
  pause: (pauseMs: number, arrivedAt: Date) => Promise<void>,
): Promise<boolean> {
  const attemptedAt = clock();
  const send = await sendInLane({
    lane: { key: laneKeyOfEvent, kind: "events" },
    connection,
    attempts: event.attempts,
    now: attemptedAt,
    call: (klaviyo) => klaviyo.createEvent(JSON.parse(event.payload!)),
    pause,
  });
  if (send.held) {
    await settleClaimed([event.id], owner, { to: EVENT_STATUS.queued, nextAttemptAt: clock() });
    return false;
  }
  await recordAttempts([event.id], send.outcome, send.decision, attemptedAt);
  const settled = (await settleClaimed([event.id], owner, settlementFor(send.decision, send.answeredAt))) === 1;
  if (send.decision.kind === "dead_letter" && send.decision.refused)
    log.warn("klaviyo refused an event", { eventId: event.id, detail: send.decision.detail });
  return send.decision.kind === "sent" && settled;
}

/**
 * Sends events in this process: lanes with ready events are looked for at once when work is
 * queued here, often while lanes are being served, and every second regardless (work queued by
 * other processes, retries coming due). Each lane found is served one quantum on its own, at
 * most MAX_LANES_AT_ONCE at a time; a lane another process owns, or one paused by a 429, waits.
 * Profile updates are sent beside it, by a worker of their own.
 */
export function startEventSender({ owner = WORKER_ID } = {}) {
  const serving = new Map<string, Promise<void>>();
  const pausedUntil = new Map<string, number>();
  const lanes = startPollingWorker(
    "event",
    async () => {
      const now = new Date();
      for (const lane of await readyLanes(now)) {
        if (serving.size >= MAX_LANES_AT_ONCE) break;
        if (serving.has(lane.key) || (pausedUntil.get(lane.key) ?? 0) > now.getTime()) continue;
        pausedUntil.delete(lane.key);
        const turn = serveLane(lane, { owner, now: new Date(), quantum: QUANTUM })
          .then((ended) => {
            if (ended.ended === "paused") pausedUntil.set(lane.key, ended.until);
          })
          .catch((error) => log.error("lane quantum failed", { lane: lane.key, error: errorSummary(error) }))
          .finally(() => serving.delete(lane.key));
        serving.set(lane.key, turn);
      }
      return { runAgainInMs: serving.size > 0 ? BUSY_POLL_MS : undefined };
    },
    IDLE_POLL_MS,
  );
  const profiles = startPollingWorker(
    "event",
    async () => {
      await syncDueProfiles();
      return {};
    },
    IDLE_POLL_MS,
  );
  return {
    async stop() {
      // Sends in flight finish (each within Klaviyo's request timeout); anything still held is released.
      await Promise.all([lanes.stop(), profiles.stop()]);
      await Promise.all(serving.values());
      const released = await releaseLeases(owner);
      if (released) log.info("released leases on shutdown", { released });
    },
  };
}
