import { createServer, type Server } from "node:http";
import { keepIdleConnectionsOpen } from "../../../keep-alive";
import { handleApi } from "./api-routes";
import { unsubscribe, type UnsubscribeRequest } from "./consent-routes";
import {
  DoubleState,
  SHOPIFY_INTEGRATION,
  type DoubleAccount,
  type DoubleFlow,
  type OAuthClient,
} from "./double-state";
import { escapeHtml, readBody, sendHtml, sendJson } from "../http-exchange";
import { authorizeDecision, authorizePage, revoke, token } from "./oauth-routes";

export interface KlaviyoDouble {
  url: string;
  state: DoubleState;
  close(): Promise<void>;
}

export const DEFAULT_ACCOUNTS: DoubleAccount[] = [
  {
    id: "KDEMO1",
    name: "Waypost Demo Klaviyo",
    privateKeys: ["pk_demo_0123456789abcdef0123456789"],
    timezone: "America/New_York",
  },
];

/**
 * A local stand-in for Klaviyo, on loopback: OAuth (consent page, token, refresh, revoke) and the
 * API endpoints Waypost uses, with Klaviyo's headers, errors, rate limits and dedupe by unique_id.
 * `/_double/*` lets tests inspect it and inject faults; `/activity` is its activity feed.
 */
export async function startKlaviyoDouble({
  port = 0,
  host = "127.0.0.1",
  clients,
  accounts = DEFAULT_ACCOUNTS,
}: {
  port?: number;
  host?: string;
  clients: OAuthClient[];
  accounts?: DoubleAccount[];
}): Promise<KlaviyoDouble> {
  const state = new DoubleState(accounts, clients);
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", `http://${request.headers.host}`);
    const route = `${request.method} ${url.pathname}`;
    const handled = (async () => {
      if (url.pathname.startsWith("/api/")) return handleApi(state, request, url, response);
      const flowId = request.method === "GET" ? /^\/flow\/([^/]+)\/edit$/.exec(url.pathname)?.[1] : undefined;
      if (flowId) return flowPage(state, flowId, response);
      switch (route) {
        case "GET /oauth/authorize":
          return authorizePage(state, url, response);
        case "POST /oauth/authorize":
          return authorizeDecision(state, request, response);
        case "POST /oauth/token":
          return token(state, request, response);
        case "POST /oauth/revoke":
          return revoke(state, request, response);
        case "GET /activity":
          return activityPage(state, response);
        case "GET /_double/activity":
          return sendJson(response, 200, {
            events: state.events.filter(
              (event) => !url.searchParams.get("account") || event.accountId === url.searchParams.get("account"),
            ),
          });
        case "GET /_double/person":
          // ?account=&email=: the person's events after Klaviyo's identity merge (eventsOfPerson).
          return sendJson(response, 200, {
            events: state.eventsOfPerson(
              url.searchParams.get("account") ?? "",
              (url.searchParams.get("email") ?? "").toLowerCase(),
            ),
          });
        case "GET /_double/profiles":
          // Every profile as the double holds it (properties merged key by key, as Klaviyo does).
          return sendJson(response, 200, {
            profiles: [...state.profiles].map(([id, attributes]) => ({ id, attributes })),
          });
        case "GET /_double/state":
          return sendJson(response, 200, state.summary());
        case "POST /_double/faults":
          state.faults = { errorRate: 0, latencyMs: 0, ...JSON.parse((await readBody(request)) || "{}") };
          return sendJson(response, 200, state.faults);
        case "GET /flows/create":
          return sendHtml(
            response,
            200,
            page("Klaviyo double — flow builder", "<h1>Create a flow</h1><p>The flow builder would open here.</p>"),
          );
        case "POST /_double/seed": {
          const seed = JSON.parse((await readBody(request)) || "{}") as DoubleSeed;
          seedAccount(state, seed);
          return sendJson(response, 200, { seeded: true });
        }
        case "POST /_double/unsubscribe": {
          // A customer unsubscribes in Klaviyo: recorded, and delivered signed to the account's webhooks.
          const wanted = JSON.parse((await readBody(request)) || "{}") as UnsubscribeRequest;
          return sendJson(response, 200, await unsubscribe(state, wanted));
        }
        case "POST /_double/reset":
          state.reset();
          return sendJson(response, 200, { reset: true });
        default:
          return sendJson(response, 404, { error: `${route} is not part of the Klaviyo double` });
      }
    })();
    handled.catch((error) => {
      if (!response.headersSent) sendJson(response, 500, { error: String(error) });
    });
  });
  keepIdleConnectionsOpen(server);
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const address = server.address();
  const actualPort = typeof address === "object" && address ? address.port : port;
  return {
    url: `http://${host}:${actualPort}`,
    state,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * What tests and the demo put in an account that did not come through Waypost: metrics of
 * Klaviyo's own Shopify integration, and flows (by default on Waypost's API metric of that name).
 */
export interface DoubleSeed {
  shopifyMetrics?: Array<{ accountId: string; name: string }>;
  flows?: Array<Omit<DoubleFlow, "id" | "triggerIntegration"> & { id?: string; onShopifyMetric?: boolean }>;
}

export function seedAccount(state: DoubleState, { shopifyMetrics = [], flows = [] }: DoubleSeed) {
  for (const metric of shopifyMetrics) state.seededMetrics.push({ ...metric, integration: SHOPIFY_INTEGRATION });
  for (const { onShopifyMetric, id, ...flow } of flows)
    state.flows.push({
      ...flow,
      id: id ?? `F${state.flows.length + 1}${Math.random().toString(36).slice(2, 6)}`.toUpperCase(),
      ...(onShopifyMetric ? { triggerIntegration: SHOPIFY_INTEGRATION } : {}),
    });
}

const page = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body style="font-family:sans-serif">${body}</body></html>`;

function flowPage(state: DoubleState, flowId: string, response: Parameters<typeof sendHtml>[0]) {
  const flow = state.flows.find((candidate) => candidate.id === flowId);
  if (!flow) return sendHtml(response, 404, page("Klaviyo double — no such flow", "<h1>No such flow</h1>"));
  sendHtml(
    response,
    200,
    page(
      `Klaviyo double — ${flow.name}`,
      `<h1>${escapeHtml(flow.name)}</h1><p>Status: ${escapeHtml(flow.status)}</p><p>Trigger: ${escapeHtml(flow.triggerMetric)}</p>`,
    ),
  );
}

function activityPage(state: DoubleState, response: Parameters<typeof sendHtml>[0]) {
  const rows = state.events
    .slice()
    .reverse()
    .map(
      (event) =>
        `<tr><td>${escapeHtml(event.receivedAt)}</td><td>${escapeHtml(event.accountId)}</td><td>${escapeHtml(event.metric)}</td>` +
        `<td>${escapeHtml(String(event.profile.email ?? event.profile.phone_number ?? ""))}</td><td>${escapeHtml(event.uniqueId ?? "")}</td></tr>`,
    )
    .join("");
  sendHtml(
    response,
    200,
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Klaviyo double — activity</title></head>
<body style="font-family:sans-serif"><h1>Activity feed</h1><p>${state.events.length} events received</p>
<table border="1" cellpadding="4"><thead><tr><th>Received</th><th>Account</th><th>Metric</th><th>Profile</th><th>unique_id</th></tr></thead>
<tbody>${rows}</tbody></table></body></html>`,
  );
}
