import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { resetDatabase } from "../../e2e/support/integration";
import { postgresConnection, postgresSessionOptions } from "../db/adapter.server";
import { prisma } from "../db.server";
import { env } from "../env.server";
import { takeLane } from "./lane-store.server";
import { laneKey } from "./lanes";

// A lane owner stopped (SIGSTOP) in the middle of a transaction on its lane row keeps that row
// locked for as long as it stays stopped. Here the stopped owner is a session opened as Waypost
// opens its own, which took the lane row's lock and then said nothing more.
const stoppedOwners: pg.Client[] = [];

afterEach(async () => {
  await Promise.all(stoppedOwners.splice(0).map((client) => client.end().catch(() => undefined)));
  await resetDatabase();
});

async function stoppedMidTransaction(key: string, heldUntil: Date) {
  const { connectionString, schema } = postgresConnection(env.databaseUrl);
  const client = new pg.Client({ connectionString, options: postgresSessionOptions(schema) });
  // The server ending this session (the fence) is what is expected of it.
  client.on("error", () => undefined);
  stoppedOwners.push(client);
  await client.connect();
  await client.query("BEGIN");
  await client.query(`UPDATE "DeliveryLane" SET "ownerId" = 'stopped', "ownedUntil" = $1 WHERE "key" = $2`, [
    heldUntil.toISOString().replace("Z", ""),
    key,
  ]);
}

describe("a lane whose owner stopped mid-transaction on PostgreSQL", () => {
  it(
    "is taken over once the server ends the stopped owner's transaction, not when it wakes",
    { timeout: 30_000 },
    async () => {
      const key = laneKey("KSTOPPED", "events");
      const now = Date.now();
      expect(await takeLane(key, "events", "first", now, now + 1000)).not.toBeNull();
      await stoppedMidTransaction(key, new Date(now + 1000));

      const started = Date.now();
      const taken = await takeLane(key, "events", "second", now + 2000, now + 5000);
      const waitedMs = Date.now() - started;

      expect(taken).not.toBeNull();
      expect((await prisma.deliveryLane.findUniqueOrThrow({ where: { key } })).ownerId).toBe("second");
      // The 10 s fence on idle transactions, and a margin for two shared cores.
      expect(waitedMs).toBeLessThan(15_000);
    },
  );
});
