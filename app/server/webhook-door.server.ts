import type { IncomingMessage, ServerResponse } from "node:http";
import type { WebhookDelivery } from "../platform/webhook-ingest.server";
import { refuseOversized, type RefusedRequest } from "./request-limits.server";

/** What a door answers: a status, headers of its own, and a JSON body (none: an empty answer). */
export interface DoorAnswer {
  status: number;
  body?: Record<string, unknown>;
  headers?: Record<string, string>;
}

interface WebhookDoorOptions {
  maxBytes: number;
  /** Makes the delivery durable and says what to answer (the platform stage's answerWebhook). */
  answer(delivery: WebhookDelivery): Promise<DoorAnswer>;
  onRefused(refused: RefusedRequest): void;
  onError(error: unknown): void;
  /** The body of a 500 when `answer` throws: who sends the request again. */
  failure?: Record<string, unknown>;
}

/**
 * A POST straight off node:http, ahead of Express's middleware and Remix (Shopify's and Klaviyo's
 * webhooks, the storefront pixel's batches): read the body (413 past the limit, as every door),
 * hand it to the platform stage, send its answer. A Fetch Request, Remix's route matching and a
 * streamed response cost more than the rest of the work.
 */
export function webhookDoor({
  maxBytes,
  answer,
  onRefused,
  onError,
  failure = { error: "the webhook could not be stored; Shopify will send it again" },
}: WebhookDoorOptions) {
  return (req: IncomingMessage, res: ServerResponse) => {
    if (Number(req.headers["content-length"] ?? 0) > maxBytes) return refuseOversized(req, res, maxBytes, onRefused);
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on("data", (chunk: Buffer) => {
      if (refused) return;
      size += chunk.byteLength;
      if (size <= maxBytes) return void chunks.push(chunk);
      refused = true;
      refuseOversized(req, res, maxBytes, onRefused);
    });
    req.on("end", () => {
      if (refused) return;
      const header = (name: string) => {
        const value = req.headers[name];
        return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
      };
      answer({ header, rawBody: Buffer.concat(chunks, size) }).then(
        (answered) => send(res, answered),
        (error: unknown) => {
          onError(error);
          send(res, { status: 500, body: failure });
        },
      );
    });
  };
}

function send(res: ServerResponse, { status, body, headers = {} }: DoorAnswer) {
  if (res.headersSent) return;
  if (!body) {
    res.writeHead(status, headers);
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(text),
  });
  res.end(text);
}
