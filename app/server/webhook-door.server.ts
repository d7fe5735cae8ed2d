import type { IncomingMessage, ServerResponse } from "node:http";
import type { WebhookDelivery } from "../platform/webhook-ingest.server";
import { refuseOversized, type RefusedRequest } from "./request-limits.server";

interface WebhookDoorOptions {
  maxBytes: number;
  /** Makes the delivery durable and says what to answer (the platform stage's answerWebhook). */
  answer(delivery: WebhookDelivery): Promise<{ status: number; body: Record<string, unknown> }>;
  onRefused(refused: RefusedRequest): void;
  onError(error: unknown): void;
}

/**
 * POST /webhooks straight off node:http, ahead of Express's middleware and Remix: read the body
 * (413 past the limit, as every door), hand it to the platform stage, answer its JSON. A Fetch
 * Request, Remix's route matching and a streamed response cost more than the rest of the work.
 */
export function webhookDoor({ maxBytes, answer, onRefused, onError }: WebhookDoorOptions) {
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
        ({ status, body }) => send(res, status, body),
        (error: unknown) => {
          onError(error);
          send(res, 500, { error: "the webhook could not be stored; Shopify will send it again" });
        },
      );
    });
  };
}

function send(res: ServerResponse, status: number, body: Record<string, unknown>) {
  if (res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(text),
  });
  res.end(text);
}
