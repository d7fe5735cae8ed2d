import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { receiveKlaviyoWebhook } from "../klaviyo/consent-webhook-ingest.server";

// Klaviyo's system webhooks (consent sync). The web server answers POST /klaviyo/webhooks itself,
// ahead of Remix (app/server/main.ts); this route is the same door for requests that reach Remix.
export async function action({ request }: ActionFunctionArgs) {
  const { status, body } = await receiveKlaviyoWebhook(request);
  return json(body, { status });
}

export function loader() {
  return json({ error: "webhooks must be POSTed" }, { status: 405, headers: { Allow: "POST" } });
}
