import type { KlaviyoConnection } from "@prisma/client";
import type { LaneKind } from "../config/lane-limits";
import { prisma } from "../db.server";
import { env } from "../env.server";
import type { Lease } from "./event-queue/claim.server";
import { saveLane, takeLane } from "./lane-store.server";
import { lanesByAccount, accountOfLane, takingTurns } from "./lanes";
import { fairShares, pauseLane, returnTokens, takeTokens, type LaneState } from "./rate-lane";

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

/** A Klaviyo account's lane of one kind, with the shops on that account that have work ready. */
export interface Lane {
  key: string;
  kind: LaneKind;
  shops: Array<{ id: string; connection: KlaviyoConnection }>;
}

/** How one lane's quantum ended: it had nothing more ready, ran out of its quantum with more, was paused by a 429, or another process holds it. */
export type LaneTurn =
  | { sent: number; ended: "drained" | "more" }
  | { sent: number; ended: "paused"; until: number }
  | { sent: 0; ended: "held_elsewhere" };

/** Pauses the lane from a 429's arrival, in the owner's memory and at once in the database. */
export type PauseLane = (pauseMs: number, arrivedAt: Date) => Promise<void>;

/** What a send is given: the item's shop, the lease owner it settles as, the lane's clock, and how to pause the lane. */
export interface SendContext {
  shop: Lane["shops"][number];
  owner: string;
  clock: () => Date;
  pause: PauseLane;
}

/** What a lane serves: how to claim a shop's ready work under a lease, and how to send one item and settle it (true when delivered). */
export interface LaneWork<T> {
  claim(shopId: string, limit: number, lease: Lease, now: Date): Promise<T[]>;
  send(item: T, context: SendContext): Promise<boolean>;
  shopOf(item: T): string;
}

/** Connected shops grouped into their account's lane of `kind`; shops waiting for a reconnect are held, not served. */
export function lanesOf(
  kind: LaneKind,
  shops: Array<{ id: string; klaviyoConnection: KlaviyoConnection | null }>,
): Lane[] {
  const connected = shops.flatMap(({ id, klaviyoConnection: connection }) =>
    connection?.status === "connected" ? [{ id, connection }] : [],
  );
  return lanesByAccount(connected, kind, (shop) => shop.connection.accountId).map(({ key, members }) => ({
    key,
    kind,
    shops: members,
  }));
}

/** A lane as its key names it, with every connected shop on its account (those with nothing ready claim nothing). */
export async function laneOfKey(kind: LaneKind, key: string): Promise<Lane> {
  const connections = await prisma.klaviyoConnection.findMany({
    where: { accountId: accountOfLane(key).accountId, status: "connected" },
  });
  return { key, kind, shops: connections.map((connection) => ({ id: connection.shopId, connection })) };
}

/** Time as the lane sees it: `now` when its quantum began, moving on with the wall clock. */
function clockFrom(now: Date) {
  const startedAt = Date.now();
  return () => new Date(now.getTime() + (Date.now() - startedAt));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const inTurn = takingTurns();

/**
 * One quantum of one lane, by its one owner: takes the lane (its buckets, once), claims ready
 * work round-robin over the lane's shops as tokens and the in-flight bound allow, settles each
 * item as its own answer arrives, stops claiming at the first 429 (the lane is paused from that
 * answer's arrival, at once in the database too), and gives the lane back, buckets written once,
 * when the quantum is over or nothing more is ready. A slow account holds up only its own lane.
 */
export async function serveLane<T>(
  lane: Lane,
  work: LaneWork<T>,
  { owner, now, quantum }: { owner: string; now: Date; quantum: Quantum },
): Promise<LaneTurn> {
  const clock = clockFrom(now);
  const limit = env.laneLimits[lane.kind];
  const taken = await takeLane(
    lane.key,
    lane.kind,
    owner,
    clock().getTime(),
    clock().getTime() + quantum.maxMs + LAST_ANSWER_MS,
  );
  if (!taken) return { sent: 0, ended: "held_elsewhere" };
  let state: LaneState = taken;
  const endsAt = clock().getTime() + quantum.maxMs;
  const shops = inTurn(lane.shops);
  const shopById = new Map(lane.shops.map((shop) => [shop.id, shop]));
  const inFlight = new Set<Promise<void>>();
  let budget = quantum.maxEvents;
  let sent = 0;
  let drained = false;
  const rateLimited = () => state.pausedUntil > clock().getTime();
  const pause: PauseLane = async (pauseMs, arrivedAt) => {
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
      const claimed = await claimFairly(work, shops, tokens.granted, lease, clock());
      state = returnTokens(state, limit, tokens.granted - claimed.length);
      drained = claimed.length < tokens.granted;
      budget -= claimed.length;
      for (const item of claimed) {
        const send: Promise<void> = work
          .send(item, { shop: shopById.get(work.shopOf(item))!, owner, clock, pause })
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
 * shop cannot use goes to those that still have more. One shop's backlog of 100,000 takes its
 * share, never another shop's.
 */
async function claimFairly<T>(
  work: LaneWork<T>,
  shops: Lane["shops"],
  granted: number,
  lease: Lease,
  now: Date,
): Promise<T[]> {
  const shares = fairShares(granted, shops.length);
  const claimed: T[] = [];
  const hungry: string[] = [];
  for (const [index, shop] of shops.entries()) {
    if (shares[index] === 0) continue;
    const items = await work.claim(shop.id, shares[index], lease, now);
    claimed.push(...items);
    if (items.length === shares[index]) hungry.push(shop.id);
  }
  for (const shopId of hungry) {
    if (claimed.length >= granted) break;
    claimed.push(...(await work.claim(shopId, granted - claimed.length, lease, now)));
  }
  return claimed;
}
