import { beforeEach, describe, expect, it } from "vitest";
import { queueEvents, recordedByUniqueId } from "../../e2e/support/delivery-fixtures";
import { resetDatabase, seedShop, useKlaviyoDouble } from "../../e2e/support/integration";
import { prisma } from "../db.server";
import { connectWithPrivateKey } from "../klaviyo/connection.server";
import { CANCEL_REASONS, cancelQueued } from "./event-queue/cancel.server";
import { claimReadyEvents, heldBy, releaseLeases, shopsWithReadyEvents } from "./event-queue/claim.server";
import { settleClaimed } from "./event-queue/settle.server";
import { replayDeadLetters } from "./event-queue/replay.server";
import { sendDueEvents } from "./event-sender.server";
import { disconnectKlaviyo } from "./offboarding.server";
import { saveLane, takeLane } from "./lane-store.server";
import { laneKey } from "./lanes";

const double = useKlaviyoDouble();

beforeEach(resetDatabase);

/** A shop connected to the double's account `accountId` (created there if new). */
const connectedShop = (domain: string, accountId: string) =>
  seedShop({ domain: `${domain}.myshopify.com`, name: domain, connected: accountId });

/** Runs passes at `now` until one sends nothing. */
async function drain(now: Date) {
  while ((await sendDueEvents({ now })).sent > 0);
}

const statusOf = async (shopId: string) =>
  Object.fromEntries(
    (await prisma.trackingEvent.groupBy({ by: ["status"], where: { shopId }, _count: { _all: true } })).map((group) => [
      group.status,
      group._count._all,
    ]),
  );

describe("delivery engine", () => {
  it("waits exactly as long as a 429's Retry-After from its arrival on that lane, while another account's lane keeps flowing", async () => {
    const paused = await connectedShop("paused", "KPAUSED");
    const flowing = await connectedShop("flowing", "KFLOW");
    await queueEvents(prisma, paused.id, "p", 2);
    const start = new Date();
    double.state.faults = { errorRate: 0, latencyMs: 0, forced: { status: 429, remaining: 2, retryAfterSeconds: 7 } };
    await sendDueEvents({ now: start });
    expect(double.state.events).toHaveLength(0);
    const lane = await prisma.deliveryLane.findUniqueOrThrow({ where: { key: laneKey("KPAUSED", "events") } });
    // Counted from when the 429 arrived, on the pass's clock: a moment after it began, never before.
    const pausedUntil = lane.pausedUntil!.getTime();
    expect(pausedUntil - start.getTime()).toBeGreaterThanOrEqual(7000);
    expect(pausedUntil - start.getTime()).toBeLessThan(8000);
    expect(await prisma.trackingEvent.count({ where: { shopId: paused.id, status: "queued", attempts: 0 } })).toBe(2);
    // Each waits as long as it was told from its own answer, without spending an attempt.
    const waiting = await prisma.trackingEvent.findMany({ where: { shopId: paused.id } });
    for (const event of waiting) {
      expect(event.nextAttemptAt!.getTime()).toBeGreaterThanOrEqual(start.getTime() + 7000);
      expect(event.nextAttemptAt!.getTime()).toBeLessThanOrEqual(pausedUntil);
      expect(event.lastError).toBe("Fault injected by the test");
    }

    await queueEvents(prisma, flowing.id, "f", 3, start);
    await sendDueEvents({ now: new Date(pausedUntil - 500) });
    expect(double.state.events.map((event) => event.accountId)).toEqual(["KFLOW", "KFLOW", "KFLOW"]);

    await sendDueEvents({ now: new Date(pausedUntil) });
    expect(double.state.events.filter((event) => event.accountId === "KPAUSED")).toHaveLength(2);
    expect(await statusOf(paused.id)).toEqual({ sent: 2 });
  });

  it("retries a 5xx with backoff and delivers once", async () => {
    const shop = await connectedShop("flaky", "KFLAKY");
    await queueEvents(prisma, shop.id, "x", 1);
    double.state.faults = { errorRate: 0, latencyMs: 0, forced: { status: 502, remaining: 2 } };
    const start = new Date();
    await drain(start);
    const waiting = await prisma.trackingEvent.findFirstOrThrow({ where: { shopId: shop.id } });
    expect(waiting).toMatchObject({ status: "queued", attempts: 1 });
    // Full jitter: somewhere within the first backoff ceiling (2 s), never later.
    expect(waiting.nextAttemptAt!.getTime() - start.getTime()).toBeLessThanOrEqual(2000);
    await drain(new Date(start.getTime() + 2000));
    await drain(new Date(start.getTime() + 6000));
    expect(recordedByUniqueId(double.state).counts.get("x-0")).toBe(1);
    const attempts = await prisma.deliveryAttempt.findMany({
      where: { trackingEventId: waiting.id },
      orderBy: { attemptedAt: "asc" },
    });
    expect(attempts.map((attempt) => [attempt.httpStatus, attempt.outcome])).toEqual([
      [502, "retry"],
      [502, "retry"],
      [202, "sent"],
    ]);
    expect((await prisma.trackingEvent.findUniqueOrThrow({ where: { id: waiting.id } })).attempts).toBeGreaterThan(1);
    // Every attempt is on record: Klaviyo's status and error, the time it took, its error id.
    const failedAttempt = attempts.find((attempt) => attempt.outcome === "retry")!;
    expect(failedAttempt.detail).toBe("Fault injected by the test");
    expect(failedAttempt.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(attempts.every((attempt) => attempt.latencyMs >= 0)).toBe(true);
  });

  it("dead-letters a permanent 400 at once with Klaviyo's reason; a replay delivers it once", async () => {
    const shop = await connectedShop("refused", "KREFUSE");
    await queueEvents(prisma, shop.id, "r", 2);
    double.state.faults = { errorRate: 0, latencyMs: 0, forced: { status: 400, remaining: 2 } };
    await drain(new Date());
    const dead = await prisma.trackingEvent.findMany({ where: { shopId: shop.id, status: "dead_lettered" } });
    expect(dead).toHaveLength(2);
    expect(dead[0].lastError).toBe("Klaviyo refused the event: Fault injected by the test");
    expect(dead[0].attempts).toBe(1);

    // Replay one, then the rest: each once at Klaviyo, with the same unique_id as before.
    expect(await replayDeadLetters(shop.id, { eventIds: [dead[0].id] })).toBe(1);
    await drain(new Date());
    expect(await replayDeadLetters(shop.id)).toBe(1);
    await drain(new Date());
    await replayDeadLetters(shop.id);
    const { counts, duplicates } = recordedByUniqueId(double.state);
    expect([...counts.keys()].sort()).toEqual(["r-0", "r-1"]);
    expect(duplicates).toEqual([]);
    expect(await statusOf(shop.id)).toEqual({ sent: 2 });
  });

  it("holds events on a 401 until the merchant reconnects, then delivers them", async () => {
    const shop = await connectedShop("revoked", "KREVOKED");
    await queueEvents(prisma, shop.id, "a", 3);
    double.state.faults = { errorRate: 0, latencyMs: 0, forced: { status: 401, remaining: 3 } };
    await drain(new Date());
    expect((await prisma.klaviyoConnection.findUniqueOrThrow({ where: { shopId: shop.id } })).status).toBe(
      "needs_reconnect",
    );
    // Held, not dropped, and not retried while the key is refused.
    await drain(new Date(Date.now() + 60 * 60_000));
    expect(double.state.events).toHaveLength(0);
    expect(await statusOf(shop.id)).toEqual({ queued: 3 });

    await connectWithPrivateKey(
      shop.id,
      double.state.accounts.find((account) => account.id === "KREVOKED")!.privateKeys[0],
    );
    await drain(new Date());
    expect(await statusOf(shop.id)).toEqual({ sent: 3 });
    expect(double.state.events).toHaveLength(3);
  });

  it("cancels a shop's pending events at once when Klaviyo is disconnected, and sends nothing more", async () => {
    const shop = await connectedShop("leaving", "KLEAVE");
    await queueEvents(prisma, shop.id, "d", 4);
    await disconnectKlaviyo(shop.id);
    await drain(new Date());
    expect(double.state.events).toHaveLength(0);
    const events = await prisma.trackingEvent.findMany({ where: { shopId: shop.id } });
    expect(events.map((event) => [event.status, event.skipReason])).toEqual(
      Array(4).fill(["cancelled", "Klaviyo was disconnected before this event was sent"]),
    );
  });

  it("cancels pending events on request and leaves other shops alone", async () => {
    const shop = await connectedShop("cancelling", "KCANCEL");
    const other = await connectedShop("bystander", "KBY");
    await queueEvents(prisma, shop.id, "c", 2);
    await queueEvents(prisma, other.id, "o", 2);
    expect(await cancelQueued({ shopId: shop.id }, CANCEL_REASONS.byMerchant)).toBe(2);
    await drain(new Date());
    expect(await statusOf(shop.id)).toEqual({ cancelled: 2 });
    expect(await statusOf(other.id)).toEqual({ sent: 2 });
  });

  it("shares one lane among shops on the same Klaviyo account, serving a small shop beside a large backlog", async () => {
    const big = await connectedShop("big", "KSHARED");
    const small = await connectedShop("small", "KSHARED");
    await queueEvents(prisma, big.id, "big", 300);
    await queueEvents(prisma, small.id, "small", 3);
    await sendDueEvents({ now: new Date(), batchPerLane: 20 });
    expect(await statusOf(small.id)).toEqual({ sent: 3 });
    expect(await prisma.trackingEvent.count({ where: { shopId: big.id, status: "sent" } })).toBe(17);
    expect(await prisma.deliveryLane.count()).toBe(1);
  });

  it("serves a shop on another Klaviyo account in the same pass as a large backlog: lanes are served side by side", async () => {
    const big = await connectedShop("backlogged", "KBACKLOG");
    const small = await connectedShop("beside", "KBESIDE");
    await queueEvents(prisma, big.id, "b", 60, new Date(Date.now() - 60_000));
    await queueEvents(prisma, small.id, "s", 1);
    await sendDueEvents({ now: new Date(), batchPerLane: 5 });
    expect(double.state.events.filter((event) => event.accountId === "KBESIDE")).toHaveLength(1);
    expect(await prisma.trackingEvent.count({ where: { shopId: big.id, status: "sent" } })).toBe(5);
  });

  it("takes over the events of a worker whose lease expired, and a shutting-down worker gives its events back", async () => {
    const shop = await connectedShop("leased", "KLEASE");
    await queueEvents(prisma, shop.id, "l", 4);
    const now = new Date();
    // A worker claims two events and dies; another shuts down cleanly holding two.
    await claimReadyEvents(shop.id, 2, { owner: "dead-worker", until: new Date(now.getTime() + 5000) }, now);
    await claimReadyEvents(shop.id, 2, { owner: "leaving-worker", until: new Date(now.getTime() + 5000) }, now);
    expect(await releaseLeases("leaving-worker")).toBe(2);

    await drain(new Date(now.getTime() + 1000));
    expect(await heldBy("dead-worker")).toBe(2);
    expect(double.state.events).toHaveLength(2);

    await drain(new Date(now.getTime() + 5001));
    expect(await statusOf(shop.id)).toEqual({ sent: 4 });
    expect(recordedByUniqueId(double.state).duplicates).toEqual([]);
  });

  it("refuses a late owner's result once its lease ran out and another worker took the event over", async () => {
    const shop = await connectedShop("zombie", "KZOMBIE");
    await queueEvents(prisma, shop.id, "z", 1);
    const now = new Date();
    const [late] = await claimReadyEvents(shop.id, 1, { owner: "late", until: new Date(now.getTime() + 1000) }, now);
    const afterExpiry = new Date(now.getTime() + 1001);
    const [taken] = await claimReadyEvents(
      shop.id,
      1,
      { owner: "next", until: new Date(now.getTime() + 9000) },
      afterExpiry,
    );
    expect(taken.id).toBe(late.id);
    expect(await settleClaimed([late.id], "late", { to: "dead_lettered", attempts: 1, lastError: "late" })).toBe(0);
    expect(await settleClaimed([taken.id], "next", { to: "sent", attempts: 1 })).toBe(1);
    expect(await statusOf(shop.id)).toEqual({ sent: 1 });
    expect(await prisma.deliveryReady.count()).toBe(0);
  });

  it("finds every ready shop in turn when more are ready than one pass takes", async () => {
    const shops = await Promise.all(["r1", "r2", "r3"].map((name) => connectedShop(name, `K${name.toUpperCase()}`)));
    for (const shop of shops) await queueEvents(prisma, shop.id, shop.id, 1);
    const now = new Date();
    const seen = [];
    for (let pass = 0; pass < 3; pass++) seen.push(...(await shopsWithReadyEvents(now, 2)).map((shop) => shop.id));
    // Three passes of two: each shop found twice, none left out.
    for (const shop of shops) expect(seen.filter((id) => id === shop.id)).toHaveLength(2);
  });

  it("settles a fast account's events as their answers arrive while a slow account's request is still out", async () => {
    const slow = await connectedShop("slow", "KSLOW");
    const fast = await connectedShop("fast", "KFAST");
    await queueEvents(prisma, slow.id, "slow", 1);
    await queueEvents(prisma, fast.id, "fast", 3);
    double.state.faults = { errorRate: 0, latencyMs: 0, slowAccounts: { KSLOW: 3000 } };
    const started = Date.now();
    const pass = sendDueEvents();
    while ((await statusOf(fast.id)).sent !== 3) await new Promise((resolve) => setTimeout(resolve, 20));
    // The fast lane is done long before the slow account answers.
    expect(Date.now() - started).toBeLessThan(2500);
    expect(await statusOf(slow.id)).toEqual({ queued: 1 });
    await pass;
    expect(await statusOf(slow.id)).toEqual({ sent: 1 });
  });

  it("lets one owner at a time hold a lane, and a lane left by a dead owner starts with empty buckets", async () => {
    const key = laneKey("KOWNED", "events");
    const now = Date.now();
    expect(await takeLane(key, "events", "first", now, now + 5000)).not.toBeNull();
    expect(await takeLane(key, "events", "second", now + 1000, now + 6000)).toBeNull();
    // The first owner died without giving the lane back; once its hold runs out another takes it over.
    const takenOver = await takeLane(key, "events", "second", now + 5000, now + 10_000);
    expect(takenOver).toMatchObject({ secondTokens: 0, minuteTokens: 0 });
    await saveLane(key, "first", { ...takenOver!, secondTokens: 99 }, { release: true });
    expect(await prisma.deliveryLane.findUniqueOrThrow({ where: { key } })).toMatchObject({
      ownerId: "second",
      secondTokens: 0,
    });
  });
});
