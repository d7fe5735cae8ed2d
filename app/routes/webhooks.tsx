import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { receiveWebhook, webhookAnswer } from "../platform/webhook-ingest.server";

// One endpoint for every topic: the topic travels in X-Shopify-Topic. The web server answers
// POST /webhooks itself, ahead of Remix (app/server/webhook-door.server.ts); this route is the
// same door for requests that reach Remix (tests, and anything but a POST).
export async function action({ request }: ActionFunctionArgs) {
  const { status, body } = webhookAnswer(await receiveWebhook(request));
  return json(body, { status });
}

export function loader() {
  return json({ error: "webhooks must be POSTed" }, { status: 405, headers: { Allow: "POST" } });
}
