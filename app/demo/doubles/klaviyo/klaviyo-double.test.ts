import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { KlaviyoApi } from "../../../klaviyo/api-client.server";
import { KlaviyoOAuthClient } from "../../../klaviyo/oauth-client.server";
import { RateWindows } from "./rate-windows";
import { DEFAULT_ACCOUNTS, startKlaviyoDouble, type KlaviyoDouble } from "./server";

const CLIENT = { clientId: "c1", clientSecret: "s1" };
const KEY = DEFAULT_ACCOUNTS[0].privateKeys[0];
let double: KlaviyoDouble;

beforeAll(async () => {
  double = await startKlaviyoDouble({ clients: [CLIENT] });
});
afterAll(async () => double.close());
beforeEach(() => double.state.reset());

const api = (apiKey = KEY) =>
  new KlaviyoApi({ baseUrl: double.url, revision: "2026-07-15", credential: { method: "private_key", apiKey } });
const event = (uniqueId: string, email = "ann@example.com", metric = "Delivered") => ({
  data: {
    type: "event",
    attributes: {
      metric: { data: { type: "metric", attributes: { name: metric } } },
      profile: { data: { type: "profile", attributes: { email } } },
      properties: { order_name: "#1001" },
      unique_id: uniqueId,
    },
  },
});

describe("Klaviyo double: API", () => {
  it("refuses a body Klaviyo's OpenAPI spec refuses, with Klaviyo's error body, and records nothing", async () => {
    const broken = event("no-metric");
    delete (broken.data.attributes as Partial<typeof broken.data.attributes>).metric;
    const response = await fetch(`${double.url}/api/events`, {
      method: "POST",
      headers: {
        Authorization: `Klaviyo-API-Key ${KEY}`,
        revision: "2026-07-15",
        "Content-Type": "application/vnd.api+json",
      },
      body: JSON.stringify(broken),
    });
    expect(response.status).toBe(400);
    const { errors } = await response.json();
    expect(errors.length).toBeGreaterThan(0);
    expect(Object.keys(errors[0])).toEqual(
      expect.arrayContaining(["id", "status", "code", "title", "detail", "source"]),
    );
    expect(JSON.stringify(errors)).toContain("metric");
    expect(double.state.events).toHaveLength(0);
  });

  it("throttles a whole account until a time, with the seconds left as Retry-After, and reports every request", async () => {
    const seen: Array<{ accountId: string; endpoint: string; status: number; retryAfterSeconds?: number }> = [];
    double.state.observe = ({ accountId, endpoint, status, retryAfterSeconds }) =>
      seen.push({ accountId, endpoint, status, ...(retryAfterSeconds ? { retryAfterSeconds } : {}) });
    double.state.faults = { errorRate: 0, latencyMs: 0, throttledUntil: { KDEMO1: Date.now() + 2500 } };
    const post = () =>
      fetch(`${double.url}/api/events`, {
        method: "POST",
        headers: {
          Authorization: `Klaviyo-API-Key ${KEY}`,
          revision: "2026-07-15",
          "Content-Type": "application/json",
        },
        body: JSON.stringify(event("throttled-1")),
      });
    const throttled = await post();
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get("retry-after")).toBe("3");
    expect(double.state.events).toHaveLength(0);
    double.state.faults.throttledUntil = { KDEMO1: Date.now() - 1 };
    expect((await post()).status).toBe(202);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(seen).toEqual([
      { accountId: "KDEMO1", endpoint: "events", status: 429, retryAfterSeconds: 3 },
      { accountId: "KDEMO1", endpoint: "events", status: 202 },
    ]);
    double.state.observe = undefined;
  });

  it("requires the revision header, like Klaviyo", async () => {
    const response = await fetch(`${double.url}/api/accounts`, {
      headers: { Authorization: `Klaviyo-API-Key ${KEY}` },
    });
    expect(response.status).toBe(400);
    expect((await response.json()).errors[0].source.pointer).toBe("/headers/revision");
  });

  it("answers 401 with a JSON:API error to an unknown key", async () => {
    expect(await api("pk_unknown_key_000000000000").getAccount()).toMatchObject({
      ok: false,
      kind: "unauthorized",
      status: 401,
    });
  });

  it("records an event once per profile, metric and unique_id", async () => {
    expect(await api().createEvent(event("u-1"))).toMatchObject({ ok: true, status: 202 });
    expect(await api().createEvent(event("u-1"))).toMatchObject({ ok: true, status: 202 });
    await api().createEvent(event("u-1", "bob@example.com"));
    await api().createEvent(event("u-1", "ann@example.com", "Shipped"));
    expect(double.state.events).toHaveLength(3);
    expect(double.state.duplicatesIgnored).toBe(1);
  });

  it("merges a guest's onsite profile into the customer's once one event carries both identifiers", async () => {
    const onsite = (uniqueId: string, metric: string, profile: Record<string, string>) => ({
      data: {
        type: "event",
        attributes: {
          metric: { data: { type: "metric", attributes: { name: metric } } },
          profile: { data: { type: "profile", attributes: profile } },
          properties: {},
          unique_id: uniqueId,
        },
      },
    });
    await api().createEvent(onsite("v-1", "Viewed Product", { anonymous_id: "browser-1" }));
    await api().createEvent(onsite("v-2", "Viewed Product", { anonymous_id: "browser-2" }));
    const accountId = double.state.events[0].accountId;
    const metricsOf = async () =>
      (
        (await (await fetch(`${double.url}/_double/person?account=${accountId}&email=Ann@Example.com`)).json()) as {
          events: Array<{ metric: string; uniqueId: string }>;
        }
      ).events.map((event) => event.uniqueId);
    expect(await metricsOf()).toEqual([]);

    await api().createEvent(onsite("l-1", "Logged In", { anonymous_id: "browser-1", email: "ann@example.com" }));
    await api().createEvent(event("d-1"));
    // Browser 1's guest view is Ann's now; browser 2 never identified, so its view is no one's.
    expect(await metricsOf()).toEqual(["v-1", "l-1", "d-1"]);
  });

  it("rejects an invalid event with Klaviyo's pointer to the field", async () => {
    const bad = event("u-2");
    (bad.data.attributes.profile.data.attributes as Record<string, string>) = { phone_number: "555-1234" };
    const outcome = await api().createEvent(bad);
    expect(outcome).toMatchObject({ ok: false, kind: "invalid", status: 400 });
    expect(outcome.ok ? "" : outcome.detail).toContain("/data/attributes/profile/data/attributes/phone_number");
  });

  it("enforces the per-second limit with 429 and Retry-After, and reports its peak", async () => {
    const first = await api().getAccount();
    const second = await api().getAccount();
    expect(first.ok).toBe(true);
    expect(second).toMatchObject({ ok: false, kind: "rate_limited", status: 429, retryAfterMs: 1000 });
    expect(double.state.summary().peaks).toEqual({ "KDEMO1:accounts": { perSecond: 1, perMinute: 1 } });
  });

  it("injects forced faults for the next requests, then recovers", async () => {
    double.state.faults = { errorRate: 0, latencyMs: 0, forced: { status: 503, remaining: 2 } };
    expect(await api().createEvent(event("u-3"))).toMatchObject({ ok: false, kind: "server_error", status: 503 });
    expect(await api().createEvent(event("u-3"))).toMatchObject({ ok: false, kind: "server_error" });
    expect(await api().createEvent(event("u-3"))).toMatchObject({ ok: true });
  });

  it("can lose the answer to an event it recorded, so a resend tests unique_id dedupe", async () => {
    double.state.faults = { errorRate: 0, latencyMs: 0, lostAnswerRate: 1 };
    expect(await api().createEvent(event("u-5"))).toMatchObject({ ok: false, kind: "server_error", status: 500 });
    double.state.faults = { errorRate: 0, latencyMs: 0 };
    expect(await api().createEvent(event("u-5"))).toMatchObject({ ok: true });
    expect(double.state.events.filter((received) => received.uniqueId === "u-5")).toHaveLength(1);
    expect(double.state.duplicatesIgnored).toBe(1);
  });

  it("injects random 429s with Retry-After", async () => {
    double.state.faults = { errorRate: 0, latencyMs: 0, rateLimitRate: 1 };
    expect(await api().createEvent(event("u-6"))).toMatchObject({
      ok: false,
      kind: "rate_limited",
      retryAfterMs: 1000,
    });
    expect(double.state.events.filter((received) => received.uniqueId === "u-6")).toHaveLength(0);
  });

  it("lists received events in its activity feed", async () => {
    await api().createEvent(event("u-4"));
    const feed = await (await fetch(`${double.url}/_double/activity?account=KDEMO1`)).json();
    expect(feed.events).toEqual([
      expect.objectContaining({ metric: "Delivered", uniqueId: "u-4", accountId: "KDEMO1" }),
    ]);
    expect(await (await fetch(`${double.url}/activity`)).text()).toContain("u-4");
  });
});

describe("Klaviyo double: OAuth token endpoint", () => {
  const oauth = (secret = CLIENT.clientSecret) =>
    new KlaviyoOAuthClient({ apiUrl: double.url, clientId: CLIENT.clientId, clientSecret: secret });

  it("refuses a client with the wrong secret", async () => {
    expect(await oauth("wrong").refresh("anything")).toMatchObject({ ok: false, error: "invalid_client", status: 401 });
  });

  it("refuses an unknown or revoked refresh token with invalid_grant", async () => {
    expect(await oauth().refresh("never-issued")).toMatchObject({ ok: false, error: "invalid_grant", status: 400 });
  });
});

describe("rate windows", () => {
  it("resets the one-second window and enforces the one-minute window", () => {
    const windows = new RateWindows({ accounts: { perSecond: 2, perMinute: 3 } } as never);
    expect(windows.take("a", "accounts" as never, 0).allowed).toBe(true);
    expect(windows.take("a", "accounts" as never, 10).allowed).toBe(true);
    expect(windows.take("a", "accounts" as never, 20)).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect(windows.take("a", "accounts" as never, 1000).allowed).toBe(true);
    expect(windows.take("a", "accounts" as never, 2000)).toEqual({ allowed: false, retryAfterSeconds: 58 });
    expect(windows.take("b", "accounts" as never, 2000).allowed).toBe(true);
  });
});
