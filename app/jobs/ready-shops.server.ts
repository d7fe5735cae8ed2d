import type { KlaviyoConnection } from "@prisma/client";
import { prisma } from "../db.server";
import { integer, queryRows, raw, sql, type Sql } from "../db/sql.server";
import { chunks } from "./event-queue/chunks";

export type ShopWithReadyWork = { id: string; klaviyoConnection: KlaviyoConnection | null };

// Distinct shops visited per discovery at most, ready or not (those with only later retries).
const MAX_SHOPS_VISITED = 5000;

/**
 * Finds the shops with work ready in a queue table, and their Klaviyo connection, up to
 * `limit`, taking turns round every ready shop: each call starts one shop further round, so with
 * more ready shops than one call takes, the ones left out this time come first next time. Walks
 * the distinct shops of `waiting` rows one index probe each (a loose index scan), so a shop's
 * backlog of a million costs what one row does; `ready(now)` says which waiting rows are due.
 * `waiting` must be a prefix of an index that goes on with shopId, or the walk reads backlogs.
 * Both conditions name the queue table's columns unqualified.
 */
export function readyShopsOf(queue: { table: string; waiting: Sql; ready: (now: Date) => Sql }) {
  let discoveredAfter = "";
  const table = raw(`"${queue.table}"`);
  const shopsAfter = async (after: string, now: Date, limit: number) => {
    const rows = await queryRows<{ shopId: string }>(sql`
      WITH RECURSIVE shops ("shopId", "visited") AS (
        SELECT (SELECT MIN(r."shopId") FROM ${table} r WHERE ${queue.waiting} AND r."shopId" > ${after}), 1
        UNION ALL
        SELECT (SELECT MIN(r."shopId") FROM ${table} r WHERE ${queue.waiting} AND r."shopId" > shops."shopId"),
          shops."visited" + 1
        FROM shops WHERE shops."shopId" IS NOT NULL AND shops."visited" < ${integer(MAX_SHOPS_VISITED)})
      SELECT shops."shopId" FROM shops
      WHERE shops."shopId" IS NOT NULL AND EXISTS (
        SELECT 1 FROM ${table} r WHERE r."shopId" = shops."shopId" AND ${queue.waiting} AND ${queue.ready(now)})
      LIMIT ${integer(limit)}`);
    return rows.map((row) => row.shopId);
  };
  return async function readyShops(now: Date, limit = 1000): Promise<ShopWithReadyWork[]> {
    let ids = await shopsAfter(discoveredAfter, now, limit);
    if (ids.length < limit && discoveredAfter !== "")
      ids = [...ids, ...(await shopsAfter("", now, limit - ids.length)).filter((id) => id <= discoveredAfter)];
    discoveredAfter = ids.length === limit ? ids[ids.length - 1] : "";
    if (ids.length === 0) return [];
    const shops = (
      await Promise.all(
        chunks(ids).map((slice) =>
          prisma.shop.findMany({ where: { id: { in: slice } }, select: { id: true, klaviyoConnection: true } }),
        ),
      )
    ).flat();
    const byId = new Map(shops.map((shop) => [shop.id, shop]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  };
}
