import type { ChildProcess } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedInstalledShop } from "../../e2e/support/admin-session";
import { addDoubleAccount, queueEvents, recordedByUniqueId } from "../../e2e/support/delivery-fixtures";
import { useKlaviyoDouble } from "../../e2e/support/integration";
import { exited, running, startWorkerProcess } from "../../e2e/support/worker-processes";
import { prisma } from "../db.server";
import { connectWithPrivateKey } from "../klaviyo/connection.server";

// Three worker processes on one PostgreSQL database deliver 5,000 events for 20 shops on 10
// Klaviyo accounts. One is killed with SIGKILL mid-run, one is stopped with SIGTERM and
// replaced. Every event must reach the double exactly once, and no account may ever be sent more
// than its limit allows, by any process or all of them together (not one 429).
const SHOPS = 20;
const ACCOUNTS = 10;
const EVENTS_PER_SHOP = 250;
const TOTAL = SHOPS * EVENTS_PER_SHOP;
// The double plays Klaviyo with this per-account limit; Waypost is configured below it, as in
// production (90 % by default): requests granted in one second can arrive in the next, and the
// margin absorbs that. Three workers, PostgreSQL and other test files share two cores here,
// so requests are delayed by up to ~250 ms: the test leaves 20 %.
const ACCOUNT_LIMIT = { perSecond: 40, perMinute: 2400 };
const RATE = { perSecond: 32, perMinute: 1920 };

// Faults and limits are set once, for the one run: not reset between tests.
const double = useKlaviyoDouble({ resetBeforeEach: false });
const workers: ChildProcess[] = [];

function startWorker(): ChildProcess {
  const worker = startWorkerProcess({
    DATABASE_URL: process.env.DATABASE_URL,
    KLAVIYO_API_URL: double.url,
    KLAVIYO_EVENTS_RATE: `${RATE.perSecond}/${RATE.perMinute}`,
    WORKER_LEASE_SECONDS: "5",
  });
  workers.push(worker);
  return worker;
}

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

beforeAll(async () => {
  // Any overshoot of the account's limit would show up as a 429.
  double.state.rateWindows.setLimit("events", ACCOUNT_LIMIT);
  // Requests take a moment, as Klaviyo's do, so a killed worker is likely to die mid-send.
  double.state.faults = { errorRate: 0, latencyMs: 20 };
  const accounts = Array.from({ length: ACCOUNTS }, (_, index) => addDoubleAccount(double.state, `KMP${index}`));
  for (let index = 0; index < SHOPS; index++) {
    const shop = await seedInstalledShop(prisma, `multi-${index}.myshopify.com`, `Multi ${index}`);
    const connected = await connectWithPrivateKey(shop.id, accounts[index % ACCOUNTS].privateKeys[0]);
    expect(connected.ok).toBe(true);
    await queueEvents(prisma, shop.id, `shop${index}`, EVENTS_PER_SHOP);
  }
  double.state.events = [];
  double.state.rateWindows.reset();
});

afterAll(async () => {
  for (const worker of workers) if (running(worker)) worker.kill("SIGKILL");
});

describe("several worker processes on PostgreSQL", () => {
  it(
    "deliver 5,000 events exactly once within every account's rate, through a SIGKILL and a SIGTERM",
    { timeout: 240_000 },
    async () => {
      const started = Date.now();
      const [killed, stopped] = [startWorker(), startWorker(), startWorker()];

      await waitFor(() => double.state.events.length >= 1000, 90_000, "the first 1,000 events");
      killed.kill("SIGKILL");
      await exited(killed);
      const deliveredAtKill = double.state.events.length;
      // What the dead worker held: sent again by the others once its leases expire.
      const heldByKilledWorker = await prisma.deliveryReady.count({
        where: { leaseOwner: { startsWith: `${hostname()}:${killed.pid}:` } },
      });

      await waitFor(() => double.state.events.length >= 2500, 90_000, "2,500 events");
      stopped.kill("SIGTERM");
      expect(await exited(stopped)).toBe(0);
      // A clean stop gives back everything it held: nothing of its is left mid-send.
      const stoppedOwner = `${hostname()}:${stopped.pid}:`;
      expect(await prisma.deliveryReady.count({ where: { leaseOwner: { startsWith: stoppedOwner } } })).toBe(0);
      startWorker();

      await waitFor(
        async () => (await prisma.trackingEvent.count({ where: { status: "sent" } })) === TOTAL,
        180_000,
        "every event sent",
      );
      const seconds = (Date.now() - started) / 1000;

      const { counts, duplicates } = recordedByUniqueId(double.state);
      const lost = TOTAL - counts.size;
      const peaks = [...double.state.rateWindows.peaks.entries()].filter(([key]) => key.endsWith(":events"));
      const peakPerSecond = Math.max(...peaks.map(([, peak]) => peak.perSecond));
      const peakPerMinute = Math.max(...peaks.map(([, peak]) => peak.perMinute));
      const throttled = await prisma.deliveryAttempt.count({ where: { httpStatus: 429 } });
      const takenOver = await prisma.deliveryAttempt.groupBy({
        by: ["trackingEventId"],
        having: { trackingEventId: { _count: { gt: 1 } } },
      });
      const report = {
        events: TOTAL,
        recorded: counts.size,
        lost,
        duplicates: duplicates.length,
        resendsIgnoredByUniqueId: double.state.duplicatesIgnored,
        eventsAttemptedTwice: takenOver.length,
        deliveredWhenKilled: deliveredAtKill,
        heldByKilledWorker,
        throttled429: throttled,
        accountLimit: ACCOUNT_LIMIT,
        configuredRate: RATE,
        peakPerSecond,
        peakPerMinute,
        seconds,
        eventsPerSecond: Math.round(TOTAL / seconds),
      };
      mkdirSync("test-results", { recursive: true });
      writeFileSync("test-results/multi-process-delivery.json", `${JSON.stringify(report, null, 2)}\n`);
      console.log("multi-process delivery:", JSON.stringify(report));

      expect(lost).toBe(0);
      expect(duplicates).toEqual([]);
      expect(peaks).toHaveLength(ACCOUNTS);
      expect(peakPerSecond).toBeLessThanOrEqual(ACCOUNT_LIMIT.perSecond);
      expect(peakPerMinute).toBeLessThanOrEqual(ACCOUNT_LIMIT.perMinute);
      expect(throttled).toBe(0);
      expect(await prisma.trackingEvent.count({ where: { status: { not: "sent" } } })).toBe(0);

      // The workers still running stop cleanly too.
      const stillRunning = workers.filter(running);
      for (const worker of stillRunning) worker.kill("SIGTERM");
      expect(await Promise.all(stillRunning.map(exited))).toEqual(stillRunning.map(() => 0));
    },
  );
});
