import { request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterEach, describe, expect, it } from "vitest";
import type { WebhookDelivery } from "../platform/webhook-ingest.server";
import type { RefusedRequest } from "./request-limits.server";
import { webhookDoor, type DoorAnswer } from "./webhook-door.server";

const LIMIT = 1024;
let server: Server | undefined;

afterEach(async () => {
  await new Promise((done) => (server ? server.close(done) : done(undefined)));
  server = undefined;
});

/** The door on its own web server; `answer` stands in for the platform stage. */
async function serve(answer: (delivery: WebhookDelivery) => Promise<DoorAnswer>) {
  const refused: RefusedRequest[] = [];
  const errors: unknown[] = [];
  const app = express();
  app.post(
    "/webhooks",
    webhookDoor({ maxBytes: LIMIT, answer, onRefused: (r) => refused.push(r), onError: (e) => errors.push(e) }),
  );
  server = await new Promise<Server>((done) => {
    const listening: Server = app.listen(0, "127.0.0.1", () => done(listening));
  });
  return { port: (server.address() as AddressInfo).port, refused, errors };
}

function post(port: number, chunks: Buffer[], headers: Record<string, string> = {}) {
  return new Promise<{
    status: number;
    type: string | undefined;
    body: string;
    headers: Record<string, string | string[] | undefined>;
  }>((done, fail) => {
    const request = httpRequest({ port, path: "/webhooks", method: "POST", headers });
    request.on("response", (response) => {
      let body = "";
      response.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
      response.on("end", () =>
        done({
          status: response.statusCode ?? 0,
          type: response.headers["content-type"],
          body,
          headers: response.headers,
        }),
      );
    });
    request.on("error", fail);
    for (const chunk of chunks) request.write(chunk);
    request.end();
  });
}

describe("the webhook door ahead of Remix", () => {
  it("hands the raw body and Shopify's headers to the platform stage and answers its JSON", async () => {
    const seen: Array<{ topic: string | null; missing: string | null; body: string }> = [];
    const { port } = await serve(async (delivery) => {
      seen.push({
        topic: delivery.header("x-shopify-topic"),
        missing: delivery.header("x-shopify-event-id"),
        body: delivery.rawBody.toString("utf8"),
      });
      return { status: 200, body: { ok: true, outcome: "stored" } };
    });

    const answer = await post(port, [Buffer.from('{"id":'), Buffer.from("1}")], { "X-Shopify-Topic": "orders/create" });

    expect(answer).toMatchObject({
      status: 200,
      type: "application/json; charset=utf-8",
      body: '{"ok":true,"outcome":"stored"}',
    });
    expect(seen).toEqual([{ topic: "orders/create", missing: null, body: '{"id":1}' }]);
  });

  it("refuses a body over the limit with 413, declared or streamed, and never hands it on", async () => {
    let handed = 0;
    const { port, refused } = await serve(async () => {
      handed++;
      return { status: 200, body: {} };
    });

    const declared = await post(port, [], { "Content-Length": String(LIMIT + 1) });
    const streamed = await post(port, [Buffer.alloc(LIMIT / 2), Buffer.alloc(LIMIT / 2), Buffer.alloc(1)]);

    expect([declared.status, streamed.status]).toEqual([413, 413]);
    expect(handed).toBe(0);
    expect(refused).toEqual([
      { status: 413, method: "POST", path: "/webhooks", limit: LIMIT },
      { status: 413, method: "POST", path: "/webhooks", limit: LIMIT },
    ]);
  });

  it("answers 500 when the platform stage fails, so Shopify sends the webhook again", async () => {
    const { port, errors } = await serve(async () => {
      throw new Error("database unreachable");
    });

    const answer = await post(port, [Buffer.from("{}")]);

    expect(answer.status).toBe(500);
    expect(JSON.parse(answer.body)).toEqual({ error: "the webhook could not be stored; Shopify will send it again" });
    expect(errors).toHaveLength(1);
  });

  it("sends the stage's own headers, and an empty answer when it has no body (the pixel's 204 with CORS)", async () => {
    const { port } = await serve(async () => ({
      status: 204,
      headers: { "Access-Control-Allow-Origin": "https://shop.example.com", Vary: "Origin" },
    }));

    const answer = await post(port, [Buffer.from("{}")]);

    expect(answer.status).toBe(204);
    expect(answer.body).toBe("");
    expect(answer.headers["access-control-allow-origin"]).toBe("https://shop.example.com");
    expect(answer.headers.vary).toBe("Origin");
  });

  it("answers a failed stage with the failure its caller names", async () => {
    const door = webhookDoor({
      maxBytes: LIMIT,
      answer: async () => {
        throw new Error("database unreachable");
      },
      onRefused: () => {},
      onError: () => {},
      failure: { error: "unavailable", detail: "the batch could not be stored; send it again" },
    });
    const app = express();
    app.post("/webhooks", door);
    server = await new Promise<Server>((done) => {
      const listening: Server = app.listen(0, "127.0.0.1", () => done(listening));
    });

    const answer = await post((server.address() as AddressInfo).port, [Buffer.from("{}")]);

    expect(answer.status).toBe(500);
    expect(JSON.parse(answer.body)).toEqual({
      error: "unavailable",
      detail: "the batch could not be stored; send it again",
    });
  });
});
