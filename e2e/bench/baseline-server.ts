import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";
import http from "node:http";
import Database from "better-sqlite3";

// The two baselines Waypost's webhook endpoint is measured against, each in its own process:
//   floor  — bare node:http: read the body, check the HMAC, insert one row into SQLite, 200.
//            Nothing real can be faster on this machine.
//   naive  — what a toy app does: check the HMAC, then call Klaviyo inline before answering.
// Both also answer the storefront pixel's POST /pixel/events as bare as it gets (the pixel's floor).
// Usage: tsx e2e/bench/baseline-server.ts <floor|naive> <port> <sqlite file> <secret> [klaviyo url] [klaviyo key]
const [mode, port, file, secret, klaviyoUrl, klaviyoKey] = process.argv.slice(2);

const database = new Database(file);
database.pragma("journal_mode = WAL");
database.exec("CREATE TABLE IF NOT EXISTS receipt (id TEXT PRIMARY KEY, topic TEXT, body TEXT, received_at INTEGER)");
const insert = database.prepare("INSERT OR IGNORE INTO receipt (id, topic, body, received_at) VALUES (?, ?, ?, ?)");

const signatureValid = (body: Buffer, header: string | undefined) => {
  const expected = createHmac("sha256", secret).update(body).digest();
  const given = Buffer.from(header ?? "", "base64");
  return given.length === expected.length && timingSafeEqual(given, expected);
};

async function callKlaviyoInline(body: Buffer) {
  const order = JSON.parse(body.toString("utf8"));
  await fetch(`${klaviyoUrl}/api/events`, {
    method: "POST",
    headers: {
      Authorization: `Klaviyo-API-Key ${klaviyoKey}`,
      revision: "2026-07-15",
      "Content-Type": "application/vnd.api+json",
    },
    body: JSON.stringify({
      data: {
        type: "event",
        attributes: {
          unique_id: `naive:${order.id}`,
          properties: { order_name: order.name },
          metric: { data: { type: "metric", attributes: { name: "Placed Order" } } },
          profile: { data: { type: "profile", attributes: { email: order.email } } },
        },
      },
    }),
  }).catch(() => undefined);
}

http
  .createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", async () => {
      const body = Buffer.concat(chunks);
      if (request.url === "/pixel/events") {
        // The pixel's floor: no HMAC (a storefront signs nothing), the JSON parsed, one row.
        try {
          JSON.parse(body.toString("utf8"));
        } catch {
          response.writeHead(400).end();
          return;
        }
        insert.run(randomUUID(), "pixel/events", body.toString("utf8"), Date.now());
        response.writeHead(204).end();
        return;
      }
      if (!signatureValid(body, request.headers["x-shopify-hmac-sha256"] as string | undefined)) {
        response.writeHead(401).end();
        return;
      }
      if (mode === "naive") await callKlaviyoInline(body);
      else
        insert.run(
          String(request.headers["x-shopify-webhook-id"]),
          String(request.headers["x-shopify-topic"]),
          body.toString("utf8"),
          Date.now(),
        );
      response.writeHead(200).end();
    });
  })
  .listen(Number(port), "127.0.0.1", () => console.log(`baseline ${mode} ready`));
