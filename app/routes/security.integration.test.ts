import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_ACCOUNTS } from "../demo/doubles/klaviyo/server";
import { mintTestSessionToken, seedInstalledShop } from "../../e2e/support/admin-session";
import { resetDatabase, useKlaviyoDouble } from "../../e2e/support/integration";
import { consentAtDouble, TEST_KLAVIYO_CLIENT } from "../../e2e/support/klaviyo-double-env";
import { BROWSER_USER_AGENT, TEST_API_SECRET, TEST_ENCRYPTION_KEY, TEST_SHOP } from "../../e2e/support/test-config";
import { signedWebhookRequest } from "../../e2e/support/webhook-signer";
import { prisma } from "../db.server";
import { orderStory } from "../platform/sample-order";
import { getEnv } from "../env.server";
import { sendDueEvents } from "../jobs/event-sender.server";
import { processPendingReceipts } from "../jobs/receipt-worker.server";
import { refreshDueConnections } from "../klaviyo/token-refresh.server";
import { receiveWebhook } from "../platform/webhook-ingest.server";
import { saveTrackSettings } from "../settings/track-settings.server";
import { EVENT_CATALOG } from "../tracking/event-catalog";
import * as activity from "./app.activity";
import * as klaviyoCallback from "./klaviyo.callback";

type RouteModule = {
  loader?: (args: { request: Request; params: Record<string, string>; context: object }) => Promise<Response>;
  action?: (args: { request: Request; params: Record<string, string>; context: object }) => Promise<Response>;
};
// Every admin route, found on disk: a route added later is covered without editing this file.
const ADMIN_ROUTES = import.meta.glob<RouteModule>("./app*.tsx", { eager: true });

const double = useKlaviyoDouble();
let shopId: string;

beforeEach(async () => {
  await resetDatabase();
  shopId = (await seedInstalledShop(prisma, TEST_SHOP)).id;
  await prisma.shop.update({ where: { id: shopId }, data: { goLive: false } });
});

async function refusal(call: () => Promise<unknown> | undefined): Promise<Response> {
  try {
    const answer = await call();
    return answer instanceof Response ? answer : new Response(null, { status: 200 });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

describe("admin routes refuse anyone without a valid session token for this app", () => {
  const hour = 60 * 60_000;
  const callers = {
    "no token": async () => ({}),
    "another app's token (wrong audience)": async () => ({
      Authorization: `Bearer ${(await mintTestSessionToken(TEST_SHOP, { apiKey: "another-app" })).token}`,
    }),
    "an expired token": async () => ({
      Authorization: `Bearer ${(await mintTestSessionToken(TEST_SHOP, { now: new Date(Date.now() - hour) })).token}`,
    }),
    "a forged signature": async () => ({
      Authorization: `Bearer ${(await mintTestSessionToken(TEST_SHOP, { secret: "forged" })).token}`,
    }),
  };

  it("covers every admin route module", () => {
    expect(Object.keys(ADMIN_ROUTES).length).toBeGreaterThanOrEqual(6);
  });

  for (const [file, route] of Object.entries(ADMIN_ROUTES)) {
    for (const [caller, headersFor] of Object.entries(callers)) {
      for (const kind of ["loader", "action"] as const) {
        const handler = route[kind];
        if (!handler) continue;
        it(`${file} ${kind}: ${caller} → 401 or the login page, and nothing changes`, async () => {
          const headers = { "User-Agent": BROWSER_USER_AGENT, ...(await headersFor()) };
          // A data request (not a document), as App Bridge's fetch would make it.
          const url = `https://waypost.test/app/x?_data=routes%2Fapp&shop=${TEST_SHOP}`;
          const body = new URLSearchParams({ intent: "replay_all", goLive: "on", enabledEvents: "delivered" });
          const request =
            kind === "loader" ? new Request(url, { headers }) : new Request(url, { method: "POST", headers, body });

          const response = await refusal(() => handler({ request, params: { eventId: "any" }, context: {} }));

          const toLogin = response.status === 302 && (response.headers.get("Location") ?? "").includes("/auth/login");
          expect(response.status === 401 || toLogin, `answered ${response.status}`).toBe(true);
          expect((await prisma.shop.findUniqueOrThrow({ where: { id: shopId } })).goLive).toBe(false);
        });
      }
    }
  }
});

describe("injection through store data", () => {
  it("stores and finds SQL-looking and HTML-looking text as plain text", async () => {
    const hostile = `1Z'; DROP TABLE "TrackingEvent"; -- <img src=x onerror=alert(1)>`;
    // Not connected (each test starts from an empty database): events are recorded as skipped.
    await saveTrackSettings(shopId, { goLive: true, enabledEvents: EVENT_CATALOG.map((event) => event.key) });
    for (const delivery of orderStory({ orderId: 7001, trackingNumber: hostile })) {
      await receiveWebhook(signedWebhookRequest("https://waypost.test/webhooks", delivery));
    }
    await processPendingReceipts();

    const { token } = await mintTestSessionToken(TEST_SHOP);
    const search = async (q: string) => {
      const request = new Request(`https://waypost.test/app/activity?q=${encodeURIComponent(q)}`, {
        headers: { Authorization: `Bearer ${token}`, "User-Agent": BROWSER_USER_AGENT },
      });
      const page = await (await activity.loader({ request, params: {}, context: {} })).json();
      return (page.events as Array<{ id: string }>).map((event) => event.id).sort();
    };
    const stored = await prisma.trackingEvent.findMany({ where: { trackingNumber: hostile }, select: { id: true } });
    expect(stored.length).toBeGreaterThan(0);
    expect(await search(hostile)).toEqual(stored.map((event) => event.id).sort());
    expect(await search(`' OR '1'='1`)).toEqual([]);
    expect(await prisma.trackingEvent.count()).toBeGreaterThan(0);
  });
});

describe("secrets never reach the logs or the pages", () => {
  const lines: string[] = [];
  const originals = { stdout: process.stdout.write, stderr: process.stderr.write, level: "silent" };

  beforeEach(() => {
    lines.length = 0;
    // The environment is read once, after the test database exists; only then may it be touched.
    originals.level = getEnv().logLevel;
    (getEnv() as { logLevel: string }).logLevel = "debug";
    const capture = (chunk: unknown) => {
      lines.push(String(chunk));
      return true;
    };
    process.stdout.write = capture as typeof process.stdout.write;
    process.stderr.write = capture as typeof process.stderr.write;
  });
  afterEach(() => {
    process.stdout.write = originals.stdout;
    process.stderr.write = originals.stderr;
    (getEnv() as { logLevel: string }).logLevel = originals.level;
  });

  it("through OAuth, refresh, a refused refresh, sends, a bad and a good private key, and every admin page", async () => {
    const { token: sessionToken } = await mintTestSessionToken(TEST_SHOP);
    const integrationsAction = ADMIN_ROUTES["./app.integrations.tsx"].action!;
    const asAdmin = (form: Record<string, string>) =>
      integrationsAction({
        request: new Request("https://waypost.test/app/integrations", {
          method: "POST",
          headers: { Authorization: `Bearer ${sessionToken}`, "User-Agent": BROWSER_USER_AGENT },
          body: new URLSearchParams(form),
        }),
        params: {},
        context: {},
      });

    // OAuth through the routes, then events sent with the issued token.
    const { authorizeUrl } = await (await asAdmin({ intent: "connect" })).json();
    const callback = await consentAtDouble(authorizeUrl, "allow");
    await refusal(() => klaviyoCallback.loader({ request: new Request(callback), params: {}, context: {} }));
    await saveTrackSettings(shopId, { goLive: true, enabledEvents: EVENT_CATALOG.map((event) => event.key) });
    for (const delivery of orderStory({ orderId: 7002 }))
      await receiveWebhook(signedWebhookRequest("https://waypost.test/webhooks", delivery));
    await processPendingReceipts();
    await sendDueEvents();

    // A refresh, then a refresh Klaviyo refuses.
    await prisma.klaviyoConnection.updateMany({ data: { accessTokenExpiresAt: new Date(Date.now() + 60_000) } });
    await refreshDueConnections();
    for (const issued of double.state.tokens) issued.revoked = true;
    await prisma.klaviyoConnection.updateMany({ data: { accessTokenExpiresAt: new Date(Date.now() + 60_000) } });
    await refreshDueConnections();

    // A forged webhook, a key Klaviyo refuses, then one it accepts.
    await receiveWebhook(
      signedWebhookRequest("https://waypost.test/webhooks", { ...orderStory({ orderId: 7003 })[0], secret: "forged" }),
    );
    await asAdmin({ intent: "private_key", apiKey: "pk_notarealkeynotarealkey00" });
    await asAdmin({ intent: "private_key", apiKey: DEFAULT_ACCOUNTS[0].privateKeys[0] });

    // What every admin page renders from (its loader's data) while connected with a key.
    let pages = "";
    for (const [file, route] of Object.entries(ADMIN_ROUTES)) {
      if (!route.loader) continue;
      const page = await refusal(() =>
        route.loader!({
          request: new Request(`https://waypost.test/${file.slice(2, -4).replace(/\./g, "/")}`, {
            headers: { Authorization: `Bearer ${sessionToken}`, "User-Agent": BROWSER_USER_AGENT },
          }),
          params: { eventId: "unknown" },
          context: {},
        }),
      );
      pages += await page.text();
    }

    const secrets = [
      ...double.state.tokens.flatMap((issued) => [issued.accessToken, issued.refreshToken]),
      DEFAULT_ACCOUNTS[0].privateKeys[0],
      "pk_notarealkeynotarealkey00",
      TEST_KLAVIYO_CLIENT.clientSecret,
      TEST_API_SECRET,
      TEST_ENCRYPTION_KEY,
      sessionToken,
      `shpat_${TEST_SHOP}`,
      new URL(callback).searchParams.get("code")!,
    ];
    expect(double.state.tokens.length).toBeGreaterThanOrEqual(2);
    expect(lines.length).toBeGreaterThan(5);
    const log = lines.join("");
    for (const secret of secrets) expect(log.includes(secret), `a log line holds ${secret.slice(0, 6)}…`).toBe(false);
    expect(pages).toContain(`"klaviyoConnected":true`);
    for (const secret of secrets) expect(pages.includes(secret), `a page holds ${secret.slice(0, 6)}…`).toBe(false);
  });
});
