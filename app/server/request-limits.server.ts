import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from "node:http";
import { Transform, type TransformCallback } from "node:stream";
import { createReadableStreamFromReadable, writeReadableStreamToWritable } from "@remix-run/node";
import type { NextFunction, Request as ExpressRequest, Response as ExpressResponse } from "express";

// Every door has a size: a body over its route's limit is refused with 413 before it is read
// whole (at once when Content-Length says so, else the moment the stream passes the limit).

export interface RequestLimits {
  /** Bytes a request body may have outside /webhooks. */
  maxBytes: number;
  /** Bytes a webhook body may have (Shopify's bodies stay far below 1 MB). */
  webhookMaxBytes: number;
  /** Bytes a storefront pixel batch may have (the pixel's contract). */
  pixelBatchMaxBytes: number;
}

export interface RefusedRequest extends Record<string, unknown> {
  status: 413;
  method: string;
  path: string;
  limit: number;
}

interface BoundedHandlerOptions {
  limits: RequestLimits;
  /** What answers the request once its body is known to fit (Remix's handler in the app). */
  handle(request: Request, from: ExpressRequest): Promise<Response>;
  /** Called once per refused request, for its one log line. */
  onRefused(refused: RefusedRequest): void;
}

export const bodyLimitFor = (path: string, limits: RequestLimits) =>
  path === "/webhooks" || path === "/klaviyo/webhooks" ? limits.webhookMaxBytes : limits.maxBytes;

// After a 413 the sender may still be writing; reading on (and dropping it) for a moment lets
// it see the answer instead of a connection reset, and costs no memory.
const LINGER_MS = 2000;

/** Answers 413 to a body over `limit`, then reads on and drops what is still coming for a moment. */
export function refuseOversized(
  req: IncomingMessage,
  res: ServerResponse,
  limit: number,
  onRefused: (refused: RefusedRequest) => void,
) {
  onRefused({ status: 413, method: req.method ?? "", path: (req.url ?? "").replace(/\?.*$/, ""), limit });
  if (!res.headersSent) {
    res.writeHead(413, { "Content-Type": "application/json", Connection: "close" });
    res.end(JSON.stringify({ error: `request body larger than ${limit} bytes` }));
  }
  req.unpipe();
  req.resume();
  setTimeout(() => req.socket.destroy(), LINGER_MS).unref();
}

/** An Express handler that turns the request into a Fetch Request whose body cannot outgrow its limit. */
export function boundedRequestHandler({ limits, handle, onRefused }: BoundedHandlerOptions) {
  return async (req: ExpressRequest, res: ExpressResponse, next: NextFunction) => {
    const limit = bodyLimitFor(req.path, limits);
    let refused = false;
    const refuse = () => {
      if (refused) return;
      refused = true;
      controller.abort();
      refuseOversized(req, res, limit, onRefused);
    };

    const controller = new AbortController();
    res.on("close", () => {
      if (!res.writableFinished) controller.abort();
    });
    if (Number(req.headers["content-length"] ?? 0) > limit) return refuse();
    // As Remix's Express adapter builds it; the path is appended, never resolved, so `//host` stays a path.
    const url = URL.parse(`${req.protocol}://${req.get("host") ?? "localhost"}${req.originalUrl}`);
    if (!url) return void res.status(400).json({ error: "the Host header is not a host name" });

    try {
      const hasBody = req.method !== "GET" && req.method !== "HEAD";
      const body = hasBody ? createReadableStreamFromReadable(req.pipe(new ByteCap(limit, refuse))) : undefined;
      const request = new Request(url.href, {
        method: req.method,
        headers: fetchHeaders(req.headers),
        signal: controller.signal,
        ...(body ? { body, duplex: "half" } : {}),
      } as RequestInit);
      const response = await handle(request, req);
      if (!refused && !res.headersSent) await sendResponse(res, response);
    } catch (error) {
      if (!refused && !res.headersSent) next(error);
    }
  };
}

// The two halves of Remix's Express adapter (@remix-run/express 2.17), which does not export them in its types.
function fetchHeaders(incoming: IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming)) {
    for (const item of [value ?? []].flat()) headers.append(name, item);
  }
  return headers;
}

async function sendResponse(res: ExpressResponse, response: Response) {
  res.statusMessage = response.statusText;
  res.status(response.status);
  for (const [name, value] of response.headers.entries()) res.append(name, value);
  if (/text\/event-stream/i.test(response.headers.get("Content-Type") ?? "")) res.flushHeaders();
  if (response.body) await writeReadableStreamToWritable(response.body, res);
  else res.end();
}

/** Passes bytes through until more than `limit` have gone by; then fails the stream and calls `onExceeded`. */
class ByteCap extends Transform {
  private seen = 0;

  constructor(
    private readonly limit: number,
    private readonly onExceeded: () => void,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback) {
    this.seen += chunk.byteLength;
    if (this.seen <= this.limit) return done(null, chunk);
    this.onExceeded();
    done(new Error(`request body larger than ${this.limit} bytes`));
  }
}

/** Caps what one process holds open: sockets, and how long a request may take to arrive. */
export function limitConnections(server: Server, { maxConnections }: { maxConnections: number }) {
  server.maxConnections = maxConnections;
  // A client has this long to send its headers, and the whole request; slow senders are cut off.
  server.headersTimeout = 20_000;
  server.requestTimeout = 30_000;
}
