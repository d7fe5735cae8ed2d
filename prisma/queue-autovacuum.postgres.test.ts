import pg from "pg";
import { describe, expect, it } from "vitest";
import { postgresConnection } from "../app/db/adapter.server";
import { createTestDatabase } from "../e2e/support/test-database";

// The tables every delivered event rewrites are vacuumed by a fixed number of dead rows, not by
// the default 20 % of the table (bench:scale figure 7: with the defaults, or with autovacuum
// off, the ready queue's dead rows grew 29,000 → 136,000 in three minutes at 300 events/s).
describe("autovacuum of the delivery engine's tables", () => {
  it("is set per table by the migrations", async () => {
    const database = await createTestDatabase("postgres");
    const { connectionString, schema } = postgresConnection(database.url);
    const client = new pg.Client({ connectionString });
    await client.connect();
    try {
      const { rows } = await client.query<{ relname: string; reloptions: string[] | null }>(
        `SELECT c.relname, c.reloptions FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = $1 AND c.relname = ANY($2)`,
        [schema, ["DeliveryReady", "DeliveryLane", "TrackingEvent", "WebhookReceipt"]],
      );
      const options = Object.fromEntries(rows.map((row) => [row.relname, row.reloptions ?? []]));
      expect(options.DeliveryReady).toEqual(
        expect.arrayContaining(["autovacuum_vacuum_scale_factor=0", "autovacuum_vacuum_threshold=5000"]),
      );
      expect(options.DeliveryLane).toEqual(expect.arrayContaining(["autovacuum_vacuum_scale_factor=0"]));
      expect(options.TrackingEvent).toEqual(expect.arrayContaining(["autovacuum_vacuum_scale_factor=0.01"]));
      expect(options.WebhookReceipt).toEqual(expect.arrayContaining(["autovacuum_vacuum_scale_factor=0.01"]));
    } finally {
      await client.end();
      await database.drop();
    }
  });
});
