import { PassThrough } from "node:stream";
import type { EntryContext } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { addDocumentResponseHeaders } from "./shopify.server";

// The process entry (app/server/main.ts) reaches the app's modules through the build, so the
// web server and the background workers share one copy of each.
export { logRefusedRequest, prepareDatabase, prepareProcess, startBackgroundWork } from "./server/background.server";
export { forwardWorkTo, serveBackgroundThread } from "./server/background-thread.server";
export { answerWebhook } from "./platform/webhook-ingest.server";
export { answerKlaviyoWebhook } from "./klaviyo/consent-webhook-ingest.server";
export { answerPixelBatch } from "./platform/pixel-ingest.server";

const STREAM_TIMEOUT_MS = 5000;

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
) {
  addDocumentResponseHeaders(request, responseHeaders);
  // Shopify's helper allows framing by the shop's admin when the URL names a valid shop, and
  // says nothing otherwise; every other page may not be framed at all (clickjacking).
  if (!responseHeaders.has("Content-Security-Policy"))
    responseHeaders.set("Content-Security-Policy", "frame-ancestors 'none';");
  const waitForAll = isbot(request.headers.get("user-agent") ?? "") ? "onAllReady" : "onShellReady";

  return new Promise((resolve, reject) => {
    const { pipe, abort } = renderToPipeableStream(
      <RemixServer context={remixContext} url={request.url} abortDelay={STREAM_TIMEOUT_MS} />,
      {
        [waitForAll]() {
          const body = new PassThrough();
          responseHeaders.set("Content-Type", "text/html");
          resolve(
            new Response(createReadableStreamFromReadable(body), {
              headers: responseHeaders,
              status: responseStatusCode,
            }),
          );
          pipe(body);
        },
        onShellError: reject,
        onError(error) {
          responseStatusCode = 500;
          console.error(error);
        },
      },
    );
    setTimeout(abort, STREAM_TIMEOUT_MS + 1000);
  });
}
