import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { receiveWebhook } from "../platform/webhook-ingest.server";

// One endpoint for every topic: the topic travels in X-Shopify-Topic.
export async function action({ request }: ActionFunctionArgs) {
  const outcome = await receiveWebhook(request);
  if (outcome.kind === "rejected") return json({ error: outcome.reason }, { status: outcome.httpStatus });
  return json({ ok: true, outcome: outcome.kind }, { status: outcome.httpStatus });
}

export function loader() {
  return json({ error: "webhooks must be POSTed" }, { status: 405, headers: { Allow: "POST" } });
}
