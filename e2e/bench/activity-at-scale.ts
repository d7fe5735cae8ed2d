import { randomBytes } from "node:crypto";
import Database from "better-sqlite3";
import { mintTestSessionToken } from "../support/admin-session";
import { percentile } from "./load";

const DAY_MS = 24 * 60 * 60_000;
const STATUSES = [
  ...Array(90).fill("sent"),
  ...Array(7).fill("skipped"),
  ...Array(2).fill("cancelled"),
  "dead_lettered",
];
const EVENTS = ["placed_order", "ordered_product", "order_shipped", "in_transit", "out_for_delivery", "delivered"];
// The pixel's events, as the storefront recorder stores them: no order, a browser's own id.
const STOREFRONT_EVENTS = [
  ...Array(6).fill("viewed_product"),
  ...Array(3).fill("active_on_site"),
  "viewed_collection",
  "added_to_cart",
  "searched_site",
  "started_checkout",
  "logged_in",
];
// A rare event: what a merchant filters Activity for is often the one that almost never happens.
const RARE_EVENT = "shipment_delayed";
const RARE_EVERY = 997;
// Stored as Prisma's SQLite adapter stores DateTime.
const storedTime = (time: number) => new Date(time).toISOString().replace("Z", "+00:00");

/**
 * Writes `count` events of history for a shop straight into SQLite, spread over 90 days;
 * `storefrontShare` of them (0–1) storefront activity as the pixel's events are recorded.
 */
export async function seedActivityHistory(
  file: string,
  shopId: string,
  count: number,
  { storefrontShare = 0 }: { storefrontShare?: number } = {},
) {
  const database = new Database(file, { timeout: 10_000 });
  const insert = database.prepare(
    `INSERT INTO "TrackingEvent" ("id", "shopId", "uniqueKey", "eventKey", "orderId", "orderName", "detectedAt", "status", "attempts", "customerEmail", "trackingNumber", "payload", "sentAt")
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?)`,
  );
  const payload = JSON.stringify({
    data: {
      type: "event",
      attributes: { properties: { order_name: "#1", items: ["Stoneware mug", "Loose-leaf tea"] } },
    },
  });
  const now = Date.now();
  const prefix = randomBytes(3).toString("hex");
  const insertChunk = database.transaction((from: number, to: number) => {
    for (let index = from; index < to; index++) {
      const detectedAt = storedTime(now - Math.floor((index / count) * 90 * DAY_MS));
      const status = STATUSES[index % STATUSES.length];
      // By the hundred: of every 1,000 events, the first storefrontShare × 1,000 are storefront
      // ones, so both kinds get every status (which goes by index % 100).
      const storefront = Math.floor(index / 100) % 10 < storefrontShare * 10;
      const email = `customer${index % 50_000}@example.com`;
      if (storefront)
        insert.run(
          `${prefix}${index}`,
          shopId,
          `${shopId}:pixel:${index}`,
          STOREFRONT_EVENTS[index % STOREFRONT_EVENTS.length],
          "storefront",
          null,
          detectedAt,
          status,
          // A guest's events carry no email; a third of browsers are known.
          index % 3 ? null : email,
          null,
          payload,
          status === "sent" ? detectedAt : null,
        );
      else
        insert.run(
          `${prefix}${index}`,
          shopId,
          `${shopId}:${index}`,
          index % RARE_EVERY === 0 ? RARE_EVENT : EVENTS[index % EVENTS.length],
          String(index),
          `#${index}`,
          detectedAt,
          status,
          email,
          index % 2 ? `1Z${index}` : null,
          payload,
          status === "sent" ? detectedAt : null,
        );
    }
  });
  // Small transactions, so the running app's workers are never locked out for long.
  for (let from = 0; from < count; from += 20_000) {
    insertChunk(from, Math.min(count, from + 20_000));
    await new Promise((resolve) => setImmediate(resolve));
  }
  database.close();
}

async function medianMs(url: string, shop: string, userAgent: string, runs = 15): Promise<number> {
  const timings: number[] = [];
  for (let run = 0; run < runs; run++) {
    const { token } = await mintTestSessionToken(shop);
    const started = performance.now();
    const response = await fetch(url, { headers: { Authorization: `Bearer ${token}`, "User-Agent": userAgent } });
    if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
    await response.json();
    timings.push(performance.now() - started);
  }
  return medianOf(timings);
}

/** The median of `timings` (ms), rounded to `digits` decimals. */
function medianOf(timings: number[], digits = 1): number {
  const scale = 10 ** digits;
  return (
    Math.round(
      percentile(
        [...timings].sort((a, b) => a - b),
        50,
      ) * scale,
    ) / scale
  );
}

/** Times Activity's loader (the JSON the page fetches) for a shop with a long and a short history. */
export async function timeActivityPages(
  baseUrl: string,
  file: string,
  shops: { large: string; small: string },
  userAgent: string,
) {
  const activity = (query: string) => `${baseUrl}/app/activity?${query}${query ? "&" : ""}_data=routes%2Fapp.activity`;
  const database = new Database(file, { readonly: true });
  const countOf = (domain: string) =>
    (
      database
        .prepare(`SELECT COUNT(*) AS n FROM "TrackingEvent" e JOIN "Shop" s ON s.id = e.shopId WHERE s.domain = ?`)
        .get(domain) as { n: number }
    ).n;
  const planOf = (where: string) =>
    (
      database
        .prepare(
          `EXPLAIN QUERY PLAN SELECT "id" FROM "TrackingEvent" WHERE "shopId" = ? ${where} ORDER BY "detectedAt" DESC, "id" DESC LIMIT 51`,
        )
        .all("x") as Array<{ detail: string }>
    )
      .map((step) => step.detail)
      .join("; ");
  const large = {
    events: countOf(shops.large),
    firstPageMs: await medianMs(activity(""), shops.large, userAgent),
    deadLetteredMs: await medianMs(activity("status=dead_lettered"), shops.large, userAgent),
    searchMs: await medianMs(activity("q=customer123%40example.com"), shops.large, userAgent),
    rareEventMs: await medianMs(activity(`event=${RARE_EVENT}`), shops.large, userAgent),
    storefrontEventMs: await medianMs(activity("event=viewed_product"), shops.large, userAgent),
  };
  // The rare event's page as the database reads it, with the event index and without it (read
  // off the history index, as before that index existed), timed in the same run.
  const shopIdOf = (domain: string) =>
    (database.prepare(`SELECT id FROM "Shop" WHERE domain = ?`).get(domain) as { id: string }).id;
  const rareEventQuery = (hint: string) =>
    database.prepare(
      `SELECT "id" FROM "TrackingEvent" ${hint} WHERE "shopId" = ? AND "eventKey" = ? ORDER BY "detectedAt" DESC, "id" DESC LIMIT 51`,
    );
  const largeShopId = shopIdOf(shops.large);
  const timeQuery = (statement: Database.Statement, runs = 5) => {
    const timings: number[] = [];
    for (let run = 0; run < runs; run++) {
      const started = performance.now();
      statement.all(largeShopId, RARE_EVENT);
      timings.push(performance.now() - started);
    }
    // Hundredths: on its own index the query takes well under a tenth of a millisecond.
    return medianOf(timings, 2);
  };
  const rareEventQueryMs = {
    withEventIndex: timeQuery(rareEventQuery("")),
    historyIndexOnly: timeQuery(rareEventQuery(`INDEXED BY "TrackingEvent_shopId_detectedAt_id_idx"`)),
  };
  const small = { events: countOf(shops.small), firstPageMs: await medianMs(activity(""), shops.small, userAgent) };
  const plans = {
    firstPagePlan: planOf(""),
    searchPlan: planOf(`AND "customerEmail" = 'x'`),
    eventPlan: planOf(`AND "eventKey" = 'x'`),
  };
  database.close();
  return {
    large,
    small,
    rareEventQueryMs,
    firstPageRatio: Math.round((large.firstPageMs / small.firstPageMs) * 100) / 100,
    ...plans,
  };
}

/**
 * Times the engine's live claim (25 events, its lease given back after each) for a shop with
 * `ready` events queued beside its history: what a lane owner pays per claim as the history grows.
 */
export async function timeLiveClaims(shopId: string, ready: number, runs = 25) {
  const [{ prisma }, { queueEvents }, { claimReadyEvents, releaseLeases }, { cancelQueued }] = await Promise.all([
    import("../../app/db.server"),
    import("../support/delivery-fixtures"),
    import("../../app/jobs/event-queue/claim.server"),
    import("../../app/jobs/event-queue/cancel.server"),
  ]);
  await queueEvents(prisma, shopId, `claims-${randomBytes(3).toString("hex")}`, ready);
  const timings: number[] = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    const claimed = await claimReadyEvents(
      shopId,
      25,
      { owner: "bench-claims", until: new Date(Date.now() + 60_000) },
      new Date(),
    );
    timings.push(performance.now() - started);
    if (claimed.length !== 25) throw new Error(`a claim found ${claimed.length} of 25 ready events`);
    await releaseLeases("bench-claims");
  }
  await cancelQueued({ shopId }, "benchmark over");
  return { ready, medianMs: medianOf(timings), worstMs: Math.round(Math.max(...timings) * 10) / 10 };
}
