import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { queueEvents, recordedByUniqueId } from "../../e2e/support/delivery-fixtures";
import { resetDatabase, seedShop, useKlaviyoDouble } from "../../e2e/support/integration";
import { prisma } from "../db.server";
import { notifyWork } from "../work-signal.server";
import { startEventSender } from "./event-sender.server";
import { laneKey } from "./lanes";

// The running sender, as `npm run worker` and the web process start it: lanes served one quantum
// at a time by pg-boss jobs on PostgreSQL, by the in-process runner on SQLite. The same behaviour
// is asked of both.
const double = useKlaviyoDouble();
const senders: Array<{ stop(): Promise<void> }> = [];

beforeEach(resetDatabase);
afterEach(async () => {
  await Promise.all(senders.splice(0).map((sender) => sender.stop()));
});

const connectedShop = (domain: string, accountId: string) =>
  seedShop({ domain: `${domain}.myshopify.com`, name: domain, connected: accountId });

async function start(owner: string) {
  const sender = await startEventSender({ owner });
  senders.push(sender);
  return sender;
}

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const sentCount = () => prisma.trackingEvent.count({ where: { status: "sent" } });

describe("lane scheduling", () => {
  it("delivers queued events once each when two senders run side by side, and gives nothing back held", async () => {
    const shops = await Promise.all(
      ["ls-a", "ls-b", "ls-c"].map((name, index) => connectedShop(name, `KLS${index % 2}`)),
    );
    for (const shop of shops) await queueEvents(prisma, shop.id, shop.id, 40);
    await start("sender-one");
    await start("sender-two");
    notifyWork("event");

    await waitFor(async () => (await sentCount()) === 120, 20_000, "every event sent");
    const { counts, duplicates } = recordedByUniqueId(double.state);
    expect(counts.size).toBe(120);
    expect(duplicates).toEqual([]);
    await Promise.all(senders.splice(0).map((sender) => sender.stop()));
    expect(await prisma.deliveryReady.count()).toBe(0);
    expect(await prisma.deliveryLane.count({ where: { ownerId: { not: null } } })).toBe(0);
  });

  it("sends a paused lane nothing before its Retry-After from the 429's arrival, while another lane flows", async () => {
    const paused = await connectedShop("ls-paused", "KLSPAUSE");
    const flowing = await connectedShop("ls-flowing", "KLSFLOW");
    double.state.faults = { errorRate: 0, latencyMs: 0, forced: { status: 429, remaining: 1, retryAfterSeconds: 8 } };
    // One event, so no other request of that lane is already out when the 429 arrives.
    await queueEvents(prisma, paused.id, "p", 1);
    await start("sender");
    notifyWork("event");
    await waitFor(
      async () => (await prisma.deliveryAttempt.count({ where: { httpStatus: 429 } })) === 1,
      10_000,
      "the 429",
    );
    const lane = await prisma.deliveryLane.findUniqueOrThrow({ where: { key: laneKey("KLSPAUSE", "events") } });
    const pausedUntil = lane.pausedUntil!.getTime();

    await queueEvents(prisma, flowing.id, "f", 3);
    notifyWork("event");
    await waitFor(
      () => double.state.events.filter((event) => event.accountId === "KLSFLOW").length === 3,
      5000,
      "the other lane",
    );
    // The other account's lane is not held up by the pause: all of it went out during the pause.
    expect(double.state.events.every((event) => Date.parse(event.receivedAt) < pausedUntil)).toBe(true);
    expect(double.state.events.some((event) => event.accountId === "KLSPAUSE")).toBe(false);

    await waitFor(async () => (await sentCount()) === 4, 20_000, "the paused lane after its pause");
    const resumedAt = Math.min(
      ...double.state.events
        .filter((event) => event.accountId === "KLSPAUSE")
        .map((event) => Date.parse(event.receivedAt)),
    );
    expect(resumedAt).toBeGreaterThanOrEqual(pausedUntil);
  });

  it("serves a lane whose last owner died holding it once that owner's hold runs out", async () => {
    const shop = await connectedShop("ls-orphan", "KLSORPHAN");
    await queueEvents(prisma, shop.id, "o", 5);
    await prisma.deliveryLane.create({
      data: {
        key: laneKey("KLSORPHAN", "events"),
        secondTokens: 50,
        minuteTokens: 500,
        refilledAt: new Date(),
        ownerId: "dead-owner",
        ownedUntil: new Date(Date.now() + 2000),
      },
    });
    const startedAt = Date.now();
    await start("sender");
    notifyWork("event");
    await waitFor(async () => (await sentCount()) === 5, 15_000, "the orphaned lane served");
    expect(Math.min(...double.state.events.map((event) => Date.parse(event.receivedAt)))).toBeGreaterThanOrEqual(
      startedAt + 2000 - 50,
    );
    expect(recordedByUniqueId(double.state).duplicates).toEqual([]);
  });
});
