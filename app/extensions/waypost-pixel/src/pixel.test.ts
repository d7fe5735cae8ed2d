import { beforeEach, describe, expect, it } from "vitest";
import {
  checkoutStarted,
  consent,
  pageViewed,
  productAddedToCart,
  productViewed,
  SHOP_DOMAIN,
  signedInCustomer,
} from "./standard-events";
import { MAX_BATCH_BYTES, type PixelBatch, type PixelEventName, PIXEL_EVENT_NAMES } from "./contract";
import { batchBodies, BATCH_SIZE, FLUSH_AFTER_MS, StorefrontPixel, type PixelRuntime } from "./pixel";

const INGEST = "https://waypost.example.com/pixel/events";

/** The runtime the pixel sees, with a clock the test moves and the bodies it posted. */
function harness({
  events = PIXEL_EVENT_NAMES.join(","),
  customer = null as unknown,
  allowed = consent(true),
  session = new Map<string, string>(),
  local = new Map<string, string>(),
} = {}) {
  const sent: PixelBatch[] = [];
  const timers = new Map<number, { at: number; callback: () => void }>();
  let now = 0;
  let next = 1;
  const memory = (store: Map<string, string>) => ({
    getItem: async (key: string) => store.get(key) ?? null,
    setItem: async (key: string, value: string) => store.set(key, value),
  });
  const runtime: PixelRuntime = {
    settings: { ingestUrl: INGEST, pixelKey: "pk_public_1", events },
    shop: SHOP_DOMAIN,
    customer,
    consent: allowed,
    send: (url, body) => {
      expect(url).toBe(INGEST);
      sent.push(JSON.parse(body));
    },
    session: memory(session),
    local: memory(local),
    setTimer: (callback, ms) => {
      timers.set(next, { at: now + ms, callback });
      return next++;
    },
    clearTimer: (handle) => timers.delete(handle as number),
  };
  const pixel = new StorefrontPixel(runtime);
  return {
    pixel,
    sent,
    names: () => sent.flatMap((batch) => batch.events.map((event) => event.name)),
    advance(ms: number) {
      now += ms;
      for (const [handle, timer] of [...timers]) {
        if (timer.at <= now) {
          timers.delete(handle);
          timer.callback();
        }
      }
    },
  };
}

describe("StorefrontPixel", () => {
  let h: ReturnType<typeof harness>;
  beforeEach(() => {
    h = harness();
  });

  it("sends a batch in the contract's shape a short while after the first event", async () => {
    await h.pixel.observe("page_viewed", pageViewed());
    await h.pixel.observe("product_viewed", productViewed());
    expect(h.sent).toEqual([]);
    h.advance(FLUSH_AFTER_MS);
    expect(h.sent).toHaveLength(1);
    expect(h.sent[0]).toMatchObject({
      v: 1,
      shop: SHOP_DOMAIN,
      pixelKey: "pk_public_1",
      clientId: pageViewed().clientId,
      customer: null,
      events: [
        { id: "sh-page-1", name: "page_viewed" },
        { id: "sh-product-1", name: "product_viewed" },
      ],
    });
  });

  it("sends at once when a batch is full, and when checkout starts", async () => {
    for (let index = 0; index < BATCH_SIZE; index++)
      await h.pixel.observe("product_viewed", productViewed(`sh-product-${index}`));
    expect(h.sent).toHaveLength(1);
    expect(h.sent[0].events).toHaveLength(BATCH_SIZE);
    await h.pixel.observe("checkout_started", checkoutStarted());
    expect(h.sent).toHaveLength(2);
  });

  it("sends nothing without analytics consent", async () => {
    h = harness({ allowed: consent(false) });
    await h.pixel.observe("page_viewed", pageViewed());
    await h.pixel.observe("product_viewed", productViewed());
    h.advance(FLUSH_AFTER_MS * 10);
    h.pixel.flush();
    expect(h.sent).toEqual([]);
  });

  it("sends Active on Site with analytics alone, and keeps marketing events for marketing consent", async () => {
    h = harness({ allowed: consent(true, false) });
    await h.pixel.observe("page_viewed", pageViewed());
    await h.pixel.observe("product_viewed", productViewed());
    h.advance(FLUSH_AFTER_MS);
    expect(h.names()).toEqual(["page_viewed"]);
  });

  it("sends what happens after consent is granted, never what happened before", async () => {
    h = harness({ allowed: consent(false) });
    await h.pixel.observe("product_viewed", productViewed("before"));
    await h.pixel.updateConsent(consent(true));
    await h.pixel.observe("product_viewed", productViewed("after"));
    h.advance(FLUSH_AFTER_MS);
    expect(h.sent.flatMap((batch) => batch.events.map((event) => event.id))).toEqual(["after"]);
  });

  it("drops what is queued when the visitor withdraws consent before it is sent", async () => {
    await h.pixel.observe("product_viewed", productViewed());
    await h.pixel.updateConsent(consent(false));
    h.advance(FLUSH_AFTER_MS);
    expect(h.sent).toEqual([]);
  });

  it("sends only the events the settings enable", async () => {
    h = harness({ events: "product_added_to_cart, not_an_event" });
    await h.pixel.observe("page_viewed", pageViewed());
    await h.pixel.observe("product_viewed", productViewed());
    await h.pixel.observe("product_added_to_cart", productAddedToCart());
    h.advance(FLUSH_AFTER_MS);
    expect(h.names()).toEqual(["product_added_to_cart"]);
    expect(h.pixel.subscriptions()).toEqual(["product_added_to_cart"]);
  });

  it("subscribes to nothing without an ingest URL or pixel key", () => {
    const pixel = new StorefrontPixel({ ...harnessRuntime(), settings: { events: "page_viewed" } });
    expect(pixel.subscriptions()).toEqual([]);
  });

  it("sends Active on Site once per browser session", async () => {
    const session = new Map<string, string>();
    h = harness({ session });
    await h.pixel.observe("page_viewed", pageViewed("page-1", "/"));
    await h.pixel.observe("page_viewed", pageViewed("page-2", "/collections/shoes"));
    h.advance(FLUSH_AFTER_MS);
    // The next page of the same session is a new pixel with the same session storage.
    const nextPage = harness({ session });
    await nextPage.pixel.observe("page_viewed", pageViewed("page-3", "/products/trail-runner-1"));
    nextPage.advance(FLUSH_AFTER_MS);
    expect(h.names()).toEqual(["page_viewed"]);
    expect(nextPage.sent).toEqual([]);
  });

  it("sends Logged In once per customer, with the customer on the batch", async () => {
    const local = new Map<string, string>();
    h = harness({ customer: signedInCustomer, local });
    await h.pixel.observe("page_viewed", pageViewed());
    await h.pixel.observe("product_viewed", productViewed());
    h.advance(FLUSH_AFTER_MS);
    expect(h.names()).toEqual(["logged_in", "page_viewed", "product_viewed"]);
    const loggedIn = h.sent[0].events.find((event) => event.name === "logged_in")!;
    expect(loggedIn).toMatchObject({
      id: `logged_in:${pageViewed().clientId}:${signedInCustomer.id}`,
      timestamp: pageViewed().timestamp,
      data: {},
    });
    expect(h.sent[0].customer).toEqual({
      id: signedInCustomer.id,
      email: "ada@example.com",
      phone: "+15555550123",
      firstName: "Ada",
      lastName: "Lovelace",
    });
    const laterPage = harness({ customer: signedInCustomer, local });
    await laterPage.pixel.observe("page_viewed", pageViewed("page-2"));
    laterPage.advance(FLUSH_AFTER_MS);
    expect(laterPage.names()).toEqual(["page_viewed"]);
  });

  it("sends Logged In when consent arrives, without waiting for another event", async () => {
    h = harness({ customer: signedInCustomer, allowed: consent(false) });
    await h.pixel.observe("page_viewed", pageViewed());
    await h.pixel.updateConsent(consent(true));
    h.advance(FLUSH_AFTER_MS);
    expect(h.names()).toEqual(["logged_in"]);
  });

  it("sends no Logged In for a guest, nor when Logged In is off", async () => {
    await h.pixel.observe("page_viewed", pageViewed());
    const off = harness({ customer: signedInCustomer, events: "page_viewed" });
    await off.pixel.observe("page_viewed", pageViewed());
    h.advance(FLUSH_AFTER_MS);
    off.advance(FLUSH_AFTER_MS);
    expect([...h.names(), ...off.names()]).not.toContain("logged_in");
  });
});

describe("batchBodies", () => {
  const batchOf = (count: number, padding = 0): PixelBatch => ({
    v: 1,
    shop: SHOP_DOMAIN,
    pixelKey: "pk",
    clientId: "c",
    customer: null,
    events: Array.from({ length: count }, (_, index) => ({
      id: `e${index}`,
      name: "page_viewed" as PixelEventName,
      timestamp: "2026-12-02T10:00:00Z",
      context: { document: { location: { href: "x".repeat(padding) }, referrer: "", title: "" } },
      data: {},
    })),
  });

  it("keeps every body within 20 events and 16 KB, losing none that fits", () => {
    const bodies = batchBodies(batchOf(30, 1500));
    for (const body of bodies) {
      expect(new TextEncoder().encode(body).length).toBeLessThanOrEqual(MAX_BATCH_BYTES);
      expect(JSON.parse(body).events.length).toBeLessThanOrEqual(20);
    }
    expect(bodies.flatMap((body) => JSON.parse(body).events)).toHaveLength(30);
  });

  it("drops an event too large to send on its own", () => {
    expect(batchBodies(batchOf(1, MAX_BATCH_BYTES))).toEqual([]);
  });
});

function harnessRuntime(): PixelRuntime {
  const memory = { getItem: async () => null, setItem: async () => undefined };
  return {
    settings: {},
    shop: SHOP_DOMAIN,
    customer: null,
    consent: consent(true),
    send: () => undefined,
    session: memory,
    local: memory,
    setTimer: () => 0,
    clearTimer: () => undefined,
  };
}
