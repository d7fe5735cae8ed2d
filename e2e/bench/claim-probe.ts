// npm run bench:claims — what the delivery engine's hot statements cost on PostgreSQL with big
// backlogs beside a live shop: a 100,000-event live backlog on one shop, a 300,000-event import
// queued on another (which also has a few live events), 1,500 small shops with 2 ready events
// each, and 200,000 sent events of history. Prints the median and worst of each statement.
// A benchmark, not a test: it only reports.
import { performance } from "node:perf_hooks";
import pg from "pg";
import { createTestDatabase } from "../support/test-database";
import { testAppEnv } from "../support/test-config";

const LIVE_BACKLOG = 100_000;
const IMPORT_BACKLOG = 300_000;
const SMALL_SHOPS = 1_500;
const HISTORY = 200_000;
const RUNS = 15;

async function main() {
  const database = await createTestDatabase("postgres");
  Object.assign(process.env, testAppEnv, { DATABASE_URL: database.url, LOG_LEVEL: "silent" });
  const schema = new URL(database.url).searchParams.get("schema")!;
  const sql = new pg.Client({
    connectionString: database.url.replace(/\?.*$/, ""),
    options: `-c search_path=${schema}`,
  });
  await sql.connect();

  try {
    console.log("seeding…");
    await sql.query(`INSERT INTO "Shop" ("id", "domain", "name", "updatedAt")
    SELECT 'shop' || lpad(n::text, 5, '0'), 'shop' || n || '.myshopify.com', 'Shop ' || n, now()
    FROM generate_series(0, ${SMALL_SHOPS + 1}) AS n`);
    await sql.query(`INSERT INTO "Backfill" ("id", "shopId", "status", "windowDays", "triggerFlows", "since", "updatedAt")
    VALUES ('bf1', 'shop00001', 'running', 90, false, now() - interval '90 days', now())`);
    const insert = (where: string, count: number, shop: string, status: string, backfill: string | null) =>
      sql.query(`INSERT INTO "TrackingEvent" ("id", "shopId", "uniqueKey", "eventKey", "orderId", "status", "payload",
        "nextAttemptAt", "detectedAt", "backfillId")
      SELECT '${where}' || n, ${shop}, '${where}' || n, 'delivered', n::text, '${status}', repeat('x', 400),
        ${status === "queued" ? "now() - interval '1 minute'" : "NULL"}, now() - (n || ' seconds')::interval,
        ${backfill === null ? "NULL" : `'${backfill}'`}
      FROM generate_series(1, ${count}) AS n`);
    await insert("hist", HISTORY, "'shop' || lpad((2 + n % 1500)::text, 5, '0')", "sent", null);
    await insert("live", LIVE_BACKLOG, "'shop00000'", "queued", null);
    await insert("import", IMPORT_BACKLOG, "'shop00001'", "queued", "bf1");
    await insert("mixed", 50, "'shop00001'", "queued", null);
    await insert("small", SMALL_SHOPS * 2, "'shop' || lpad((2 + n % 1500)::text, 5, '0')", "queued", null);
    const narrowQueue = (
      await sql.query(
        `SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'DeliveryReady'`,
        [schema],
      )
    ).rowCount;
    if (narrowQueue)
      await sql.query(`INSERT INTO "DeliveryReady" ("eventId", "shopId", "queue", "dueAt")
      SELECT "id", "shopId", COALESCE("backfillId", 'live'), "nextAttemptAt" FROM "TrackingEvent" WHERE "status" = 'queued'`);
    await sql.query("VACUUM ANALYZE");

    const { claimReadyEvents, shopsWithReadyEvents } = await import("../../app/jobs/event-queue/claim.server");
    const { queueDepth } = await import("../../app/jobs/event-queue/depth.server");
    const { settleClaimed } = await import("../../app/jobs/event-queue/settle.server");
    const { prisma } = await import("../../app/db.server");

    const figures: Record<string, { medianMs: number; worstMs: number }> = {};
    async function time(name: string, run: (index: number) => Promise<unknown>) {
      const samples: number[] = [];
      for (let index = 0; index < RUNS; index++) {
        const started = performance.now();
        await run(index);
        samples.push(performance.now() - started);
      }
      samples.sort((a, b) => a - b);
      figures[name] = {
        medianMs: Math.round(samples[RUNS >> 1] * 10) / 10,
        worstMs: Math.round(samples[RUNS - 1] * 10) / 10,
      };
    }
    const lease = (index: number) => ({ owner: `probe-${index}`, until: new Date(Date.now() + 60_000) });
    await time("live claim of 25, shop with a 100k live backlog", (index) =>
      claimReadyEvents("shop00000", 25, lease(index), new Date()),
    );
    await time("live claim of 25, shop with a 300k import queued", (index) =>
      claimReadyEvents("shop00001", 25, lease(index), new Date()),
    );
    await time("import claim of 1,000", (index) =>
      claimReadyEvents("shop00001", 1000, lease(index), new Date(), "bf1"),
    );
    await time("small shop claim of 2", (index) =>
      claimReadyEvents(`shop${String(2 + index).padStart(5, "0")}`, 2, lease(index), new Date()),
    );
    await time("claim 2 and settle them as sent, small shop", async (index) => {
      const claimed = await claimReadyEvents(
        `shop${String(100 + index).padStart(5, "0")}`,
        2,
        lease(index),
        new Date(),
      );
      await settleClaimed(
        claimed.map((event) => event.id),
        lease(index).owner,
        { to: "sent", attempts: 1 },
      );
    });
    let discovered = 0;
    await time("discover shops with ready live events", async () => {
      discovered = (await shopsWithReadyEvents(new Date())).length;
    });
    await time("/healthz queue depth", () => queueDepth(new Date()));
    console.log(
      JSON.stringify({ narrowQueue: Boolean(narrowQueue), shopsDiscoveredPerPass: discovered, figures }, null, 2),
    );
    await prisma.$disconnect();
  } finally {
    await sql.end();
    // KEEP_DATABASE=1 leaves the schema for EXPLAIN ANALYZE by hand.
    if (process.env.KEEP_DATABASE) console.log(`kept ${database.url}`);
    else await database.drop();
  }
}

void main();
