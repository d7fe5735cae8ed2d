import type { ChildProcess } from "node:child_process";
import pg from "pg";
import { startKlaviyoDouble, type KlaviyoDouble } from "../../../app/demo/doubles/klaviyo/server";
import type { ObservedRequest } from "../../../app/demo/doubles/klaviyo/double-state";
import { validateKlaviyoRequest } from "../../../app/demo/contracts/klaviyo-openapi.server";
import { sealSecret } from "../../../app/sealed-secret";
import { addDoubleAccount, eventBody } from "../../support/delivery-fixtures";
import { TEST_KLAVIYO_CLIENT } from "../../support/klaviyo-double-env";
import { TEST_ENCRYPTION_KEY } from "../../support/test-config";
import { createTestDatabase, type TestDatabase } from "../../support/test-database";
import { exited, running, startWorkerProcess } from "../../support/worker-processes";

// What every figure of `npm run bench:scale` stands on: a PostgreSQL schema of its own in db
// `test` (dropped afterwards), the Klaviyo double in this process (Klaviyo's per-account limits,
// every request observed), worker processes as `npm run worker` runs them, and SQL seeding.

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const ENCRYPTION_KEY = Buffer.from(TEST_ENCRYPTION_KEY, "hex");
const INSERT_CHUNK = 5000;

/** The sorted samples' value at quantile q (0..1). */
export function quantile(sorted: number[], q: number) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

export const shopId = (index: number) => `shop${String(index).padStart(6, "0")}`;
export const accountId = (index: number) => `KB${String(index).padStart(5, "0")}`;
const privateKeyOf = (account: string) => `pk_${account.toLowerCase()}_${"0".repeat(26)}`;

export interface Run {
  database: TestDatabase;
  sql: pg.Client;
  double: KlaviyoDouble;
  /** Every authenticated API request the double answered, in order of answer. */
  requests: ObservedRequest[];
  /** Accepted events' unique_id -> when the double accepted them (epoch ms); the double's own list is kept too. */
  workers: ChildProcess[];
  startWorkers(count: number, env?: Record<string, string>): Promise<ChildProcess[]>;
  close(): Promise<void>;
}

/** A fresh schema, a double and no workers yet. `workerEnv` goes to every worker started. */
export async function openRun(workerEnv: Record<string, string> = {}): Promise<Run> {
  const database = await createTestDatabase("postgres");
  const schema = new URL(database.url).searchParams.get("schema")!;
  const sql = new pg.Client({
    connectionString: database.url.replace(/\?.*$/, ""),
    options: `-c search_path=${schema}`,
  });
  await sql.connect();
  const double = await startKlaviyoDouble({ clients: [TEST_KLAVIYO_CLIENT], accounts: [] });
  // The double checks bodies against Klaviyo's OpenAPI spec; its validators are compiled on first
  // use (seconds on a loaded machine), which would time out the first requests of the run.
  for (const [path, body] of [
    ["/api/events", eventBody("warm-up")],
    ["/api/profile-import", { data: { type: "profile", attributes: { email: "warm-up@example.com" } } }],
    ["/api/event-bulk-create-jobs", { data: { type: "event-bulk-create-job" } }],
  ] as const)
    validateKlaviyoRequest("POST", path, body);
  const requests: ObservedRequest[] = [];
  double.state.observe = (request) => requests.push(request);
  const workers: ChildProcess[] = [];
  return {
    database,
    sql,
    double,
    requests,
    workers,
    async startWorkers(count, env = {}) {
      const started = Array.from({ length: count }, () =>
        startWorkerProcess({
          DATABASE_URL: database.url,
          KLAVIYO_API_URL: double.url,
          // Nothing in the bench reads Shopify: no reconciliation in the run's hour, facts are seeded.
          RECONCILIATION_EVERY_MINUTES: "1440",
          ...workerEnv,
          ...env,
        }),
      );
      workers.push(...started);
      await Promise.all(
        started.map(
          (worker) =>
            new Promise<void>((resolve, reject) => {
              const timer = setTimeout(() => reject(new Error("a worker did not start within 180 s")), 180_000);
              worker.stdout!.on("data", (chunk: Buffer) => {
                if (chunk.toString().includes("worker ready")) {
                  clearTimeout(timer);
                  resolve();
                }
              });
              worker.once("exit", (code) => reject(new Error(`a worker exited at start (${code})`)));
            }),
        ),
      );
      return started;
    },
    async close() {
      for (const worker of workers) if (running(worker)) worker.kill("SIGCONT");
      for (const worker of workers) if (running(worker)) worker.kill("SIGTERM");
      await Promise.race([Promise.all(workers.map(exited)), sleep(20_000)]);
      for (const worker of workers) if (running(worker)) worker.kill("SIGKILL");
      await double.close();
      await sql.end();
      await database.drop();
    },
  };
}

/**
 * `count` installed shops (`shopId(first..)`), each connected with a private key to the account
 * `accountOf(index)` (added at the double), Go Live on. Sealed tokens are made here and written with
 * one unnest insert per 5,000 shops.
 */
export async function seedShops(run: Run, count: number, accountOf: (index: number) => number, first = 0) {
  const known = new Set(run.double.state.accounts.map((account) => account.id));
  for (let start = first; start < first + count; start += INSERT_CHUNK) {
    const indexes = Array.from({ length: Math.min(INSERT_CHUNK, first + count - start) }, (_, n) => start + n);
    const ids = indexes.map(shopId);
    const accounts = indexes.map((index) => accountId(accountOf(index)));
    for (const account of accounts)
      if (!known.has(account)) {
        known.add(account);
        addDoubleAccount(run.double.state, account);
      }
    const sealed = indexes.map((index, n) =>
      sealSecret(privateKeyOf(accounts[n]), ENCRYPTION_KEY, `klaviyo:${ids[n]}`),
    );
    await run.sql.query(
      `INSERT INTO "Shop" ("id", "domain", "name", "goLive", "factsReadAt", "updatedAt")
       SELECT id, id || '.myshopify.com', 'Bench ' || id, true, now(), now() FROM unnest($1::text[]) AS id`,
      [ids],
    );
    await run.sql.query(
      `INSERT INTO "KlaviyoConnection" ("id", "shopId", "method", "accountId", "accountName", "sealedAccessToken", "updatedAt")
       SELECT 'conn-' || s, s, 'private_key', a, 'Klaviyo ' || a, t, now()
       FROM unnest($1::text[], $2::text[], $3::text[]) AS x(s, a, t)`,
      [ids, accounts, sealed],
    );
  }
}

// A valid Create Event body with a placeholder unique_id, filled in by SQL per row.
const PAYLOAD_TEMPLATE = JSON.stringify(eventBody("__UID__"));

/**
 * Queues `count` events for a shop in the history and the ready queue (as the recorder does),
 * with one INSERT … SELECT generate_series each: live, or of an import (`backfillId`).
 * unique keys are `<prefix>-<n>`; `readyAt` is when they became ready.
 */
export async function queueEvents(
  run: Run,
  shop: string,
  prefix: string,
  count: number,
  { backfillId, readyAt = new Date(), from = 0 }: { backfillId?: string; readyAt?: Date; from?: number } = {},
) {
  for (let start = from; start < from + count; start += 250_000) {
    const end = Math.min(from + count, start + 250_000) - 1;
    await run.sql.query(
      `WITH rows AS (
         INSERT INTO "TrackingEvent" ("id", "shopId", "uniqueKey", "eventKey", "orderId", "orderName", "status",
           "payload", "detectedAt", "occurredAt", "nextAttemptAt", "backfillId", "source")
         SELECT $2 || '-' || n, $1, $2 || '-' || n, 'delivered', n::text, '#' || n, 'queued',
           replace($3, '__UID__', $2 || '-' || n), $4, $4, $4, $5, $6
         FROM generate_series($7::int, $8::int) AS n
         RETURNING "id")
       INSERT INTO "DeliveryReady" ("eventId", "shopId", "queue", "dueAt")
       SELECT "id", $1, $9, $4 FROM rows`,
      [
        shop,
        prefix,
        PAYLOAD_TEMPLATE,
        readyAt,
        backfillId ?? null,
        backfillId ? "imported" : "live",
        start,
        end,
        backfillId ?? "live",
      ],
    );
  }
}

/** A running import on a shop whose reading is done: only its queued events are left to send. */
export async function seedRunningImport(run: Run, shop: string, id: string) {
  await run.sql.query(
    `INSERT INTO "Backfill" ("id", "shopId", "activeShopId", "status", "windowDays", "triggerFlows", "since", "readDone", "updatedAt")
     VALUES ($1, $2, $2, 'running', 90, false, now() - interval '90 days', true, now())`,
    [id, shop],
  );
}

/** Counts of the event table by status (for one shop, or all). */
export async function countSent(run: Run, where = "true", params: unknown[] = []) {
  const result = await run.sql.query<{ count: string }>(
    `SELECT count(*) FROM "TrackingEvent" WHERE "status" = 'sent' AND ${where}`,
    params,
  );
  return Number(result.rows[0].count);
}

export async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) return false;
    await sleep(250);
  }
  return true;
}

/** Accepted (2xx) requests of an account in [from, to) at the double, by endpoint. */
export function acceptedBetween(run: Run, account: string, endpoint: string, from: number, to: number) {
  return run.requests.filter(
    (request) =>
      request.accountId === account &&
      request.endpoint === endpoint &&
      request.status < 300 &&
      request.arrivedAt >= from &&
      request.arrivedAt < to,
  ).length;
}

/** One figure's printed result. */
export interface Line {
  figure: number;
  name: string;
  measured: string;
  target: string;
  pass: boolean | undefined;
}

export const format = (value: number, digits = 2) =>
  Number.isFinite(value) ? value.toLocaleString("en-US", { maximumFractionDigits: digits }) : String(value);

/**
 * Runs `body` with autovacuum on. This machine's PostgreSQL is configured for CI with autovacuum
 * off (conf.d/90-ci.conf), which no production server is; a figure about dead tuples would
 * measure that setting, not the engine. Turned on with ALTER SYSTEM for the figure and reset
 * after; says what the server's own setting was.
 */
export async function withAutovacuum<T>(run: Run, body: (serverSetting: string) => Promise<T>): Promise<T> {
  const setting = async () => (await run.sql.query<{ autovacuum: string }>("SHOW autovacuum")).rows[0].autovacuum;
  const serverSetting = await setting();
  if (serverSetting === "on") return body(serverSetting);
  await run.sql.query("ALTER SYSTEM SET autovacuum = on");
  await run.sql.query("SELECT pg_reload_conf()");
  await waitFor(async () => (await setting()) === "on", 10_000);
  try {
    return await body(serverSetting);
  } finally {
    await run.sql.query("ALTER SYSTEM RESET autovacuum");
    await run.sql.query("SELECT pg_reload_conf()");
  }
}

type ClaimModule = typeof import("../../../app/jobs/event-queue/claim.server");

/**
 * Figure 7's probe: the engine's live claim of 25, round shops 0..shops-1, one every 200 ms,
 * its lease given back at once; each claim's time goes to `record` while `running()` holds.
 */
export async function probeLiveClaims(
  { claimReadyEvents, releaseLeases }: Pick<ClaimModule, "claimReadyEvents" | "releaseLeases">,
  {
    owner,
    shops,
    record,
    running,
  }: { owner: string; shops: number; record: (ms: number) => void; running: () => boolean },
) {
  for (let index = 0; running(); index++) {
    const started = performance.now();
    await claimReadyEvents(shopId(index % shops), 25, { owner, until: new Date(Date.now() + 60_000) }, new Date());
    record(performance.now() - started);
    await releaseLeases(owner);
    await sleep(200);
  }
}
