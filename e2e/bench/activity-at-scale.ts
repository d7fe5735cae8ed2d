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
// Stored as Prisma's SQLite adapter stores DateTime.
const storedTime = (time: number) => new Date(time).toISOString().replace("Z", "+00:00");

/** Writes `count` events of history for a shop straight into SQLite, spread over 90 days. */
export async function seedActivityHistory(file: string, shopId: string, count: number) {
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
      insert.run(
        `${prefix}${index}`,
        shopId,
        `${shopId}:${index}`,
        EVENTS[index % EVENTS.length],
        String(index),
        `#${index}`,
        detectedAt,
        status,
        `customer${index % 50_000}@example.com`,
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
  return (
    Math.round(
      percentile(
        timings.sort((a, b) => a - b),
        50,
      ) * 10,
    ) / 10
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
  };
  const small = { events: countOf(shops.small), firstPageMs: await medianMs(activity(""), shops.small, userAgent) };
  const plans = { firstPagePlan: planOf(""), searchPlan: planOf(`AND "customerEmail" = 'x'`) };
  database.close();
  return { large, small, firstPageRatio: Math.round((large.firstPageMs / small.firstPageMs) * 100) / 100, ...plans };
}
