import { request as httpRequest, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { connect } from "node:net";
import express from "express";
import { afterEach, describe, expect, it } from "vitest";
import { boundedRequestHandler, limitConnections, type RefusedRequest } from "./request-limits.server";

const LIMITS = { maxBytes: 64 * 1024, webhookMaxBytes: 1024 * 1024, pixelBatchMaxBytes: 16 * 1024 };
let server: Server | undefined;

afterEach(async () => {
  await new Promise((done) => (server ? server.close(done) : done(undefined)));
  server = undefined;
});

/** A web server whose only route reads the whole form first, as Shopify's login() does. */
async function serve() {
  const refused: RefusedRequest[] = [];
  const handled: number[] = [];
  const app = express();
  app.all(
    "*",
    boundedRequestHandler({
      limits: LIMITS,
      handle: async (request) => {
        const bytes = (await request.arrayBuffer()).byteLength;
        handled.push(bytes);
        return new Response(JSON.stringify({ bytes }), { headers: { "Content-Type": "application/json" } });
      },
      onRefused: (request) => refused.push(request),
    }),
  );
  server = await new Promise<Server>((done) => {
    const listening: Server = app.listen(0, "127.0.0.1", () => done(listening));
  });
  limitConnections(server, { maxConnections: 50 });
  return { port: (server.address() as AddressInfo).port, refused, handled };
}

/** Posts `total` bytes in 64 KB chunks, as fast as the server takes them, until it answers. */
function postStream(port: number, path: string, total: number, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; elapsedMs: number; sent: number; peakRssGrowth: number }>((done, fail) => {
    const startedAt = Date.now();
    const rssAtStart = process.memoryUsage().rss;
    let peakRss = rssAtStart;
    const chunk = Buffer.alloc(64 * 1024, "a");
    let sent = 0;
    let answered = false;
    const request = httpRequest({
      port,
      path,
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
    });
    request.on("response", (response: IncomingMessage) => {
      answered = true;
      response.resume();
      done({
        status: response.statusCode ?? 0,
        elapsedMs: Date.now() - startedAt,
        sent,
        peakRssGrowth: peakRss - rssAtStart,
      });
      request.destroy();
    });
    request.on("error", (error) => (answered ? undefined : fail(error)));
    const pump = () => {
      while (!answered && sent < total) {
        peakRss = Math.max(peakRss, process.memoryUsage().rss);
        sent += chunk.byteLength;
        if (!request.write(chunk)) return void request.once("drain", pump);
      }
      if (!answered) request.end();
    };
    if (headers["Content-Length"]) request.flushHeaders();
    else pump();
  });
}

describe("the web server's request limits", () => {
  it("answers a 256 MB stream to /auth/login with 413 at 64 KB, quickly, without holding it in memory", async () => {
    const { port, refused, handled } = await serve();

    const answer = await postStream(port, "/auth/login", 256 * 1024 * 1024);

    expect(answer.status).toBe(413);
    expect(answer.elapsedMs).toBeLessThan(2000);
    expect(answer.sent).toBeLessThan(16 * 1024 * 1024);
    expect(answer.peakRssGrowth).toBeLessThan(64 * 1024 * 1024);
    expect(refused).toEqual([{ status: 413, method: "POST", path: "/auth/login", limit: LIMITS.maxBytes }]);
    expect(handled).toEqual([]);
  });

  it("answers a declared oversize body with 413 before a byte of it is sent", async () => {
    const { port, refused } = await serve();
    const answer = await postStream(port, "/auth/login", 0, { "Content-Length": String(10 * 1024 * 1024) });
    expect(answer).toMatchObject({ status: 413, sent: 0 });
    expect(refused).toHaveLength(1);
  });

  it("lets a body within the limit through whole", async () => {
    const { port, handled } = await serve();
    const answer = await postStream(port, "/app/track-settings", LIMITS.maxBytes);
    expect(answer.status).toBe(200);
    expect(handled).toEqual([LIMITS.maxBytes]);
  });

  it("keeps the webhook limit at 1 MB: a 1 MB webhook passes, one byte more is refused", async () => {
    const { port, handled } = await serve();
    expect((await postStream(port, "/webhooks", LIMITS.webhookMaxBytes)).status).toBe(200);
    expect(handled).toEqual([LIMITS.webhookMaxBytes]);
    const over = await postStream(port, "/webhooks", 0, { "Content-Length": String(LIMITS.webhookMaxBytes + 1) });
    expect(over.status).toBe(413);
  });

  it("answers 400, not a server error, to a Host header that is no host name", async () => {
    const { port, handled } = await serve();
    const socket = connect(port, "127.0.0.1");
    socket.write("GET /app HTTP/1.1\r\nHost: a b\r\nConnection: close\r\n\r\n");
    const answer = await new Promise<string>((done) => {
      let text = "";
      socket.on("data", (chunk) => (text += chunk));
      socket.on("close", () => done(text));
    });
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(handled).toEqual([]);
  });

  it("closes connections past the cap, and cuts off a client that never finishes its headers", async () => {
    const { port } = await serve();
    expect(server).toMatchObject({ maxConnections: 50, headersTimeout: 20_000, requestTimeout: 30_000 });
    server!.maxConnections = 1;
    const held = connect(port, "127.0.0.1");
    await new Promise((done) => held.once("connect", done));
    await new Promise((done) => setTimeout(done, 50));
    const extra = connect(port, "127.0.0.1");
    const closed = await new Promise<boolean>((done) => {
      extra.once("close", () => done(true));
      setTimeout(() => done(false), 2000);
    });
    held.destroy();
    expect(closed).toBe(true);
  });
});
