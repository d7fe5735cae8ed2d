import {
  CONSENT_REQUIRED,
  CONTRACT_VERSION,
  MAX_BATCH_BYTES,
  MAX_EVENTS_PER_BATCH,
  parseEnabledEvents,
  type CustomerPrivacy,
  type PixelBatch,
  type PixelCustomer,
  type PixelEvent,
  type PixelEventName,
  type PixelSettings,
} from "./contract";
import { trimCustomer, trimEvent } from "./trim";

/** Where the pixel keeps what must survive a page: Shopify's browser.sessionStorage / localStorage (async). */
export interface PixelMemory {
  getItem(key: string): Promise<string | null>;
  setItem(key: string, value: string): Promise<unknown>;
}

export interface PixelRuntime {
  settings: Partial<PixelSettings>;
  shop: string;
  /** init.data.customer. */
  customer: unknown;
  /** init.customerPrivacy. */
  consent: CustomerPrivacy;
  /** POSTs one batch (a JSON string) to the ingest URL. */
  send(url: string, body: string): void;
  /** Per browser session: Active on Site is sent once per session. */
  session: PixelMemory;
  /** Per browser: Logged In is sent once per customer. */
  local: PixelMemory;
  setTimer(callback: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
}

/** A batch goes out this long after its first event, or at once when it is full. */
export const FLUSH_AFTER_MS = 1000;
/** Small batches: a page's events travel together, and a lost request loses little. */
export const BATCH_SIZE = 10;
/** Events after which the shopper usually leaves the page (to checkout): sent without waiting. */
const SEND_AT_ONCE: ReadonlySet<PixelEventName> = new Set(["checkout_started"]);

export const ACTIVE_ON_SITE_KEY = "waypost:active_on_site";
export const loggedInKey = (customerId: string) => `waypost:logged_in:${customerId}`;

export function consentAllows(consent: CustomerPrivacy, name: PixelEventName): boolean {
  return CONSENT_REQUIRED[name].every((purpose) =>
    purpose === "analytics" ? consent.analyticsProcessingAllowed === true : consent.marketingAllowed === true,
  );
}

/**
 * The pixel's logic, apart from Shopify's runtime: which events go (enabled in the settings, allowed by
 * the visitor's consent at the moment they happen and again when they are sent), Active on Site once a
 * session, Logged In once per customer, and small batches within the contract's limits.
 */
export class StorefrontPixel {
  private readonly enabled: ReadonlySet<PixelEventName>;
  private readonly customer: PixelCustomer | null;
  private consent: CustomerPrivacy;
  private queue: PixelEvent[] = [];
  private clientId: string | undefined;
  private timer: unknown;
  private loggedInChecked = false;
  /** The latest standard event: Logged In borrows its time and page when consent comes later. */
  private lastContext: unknown;
  private activeOnSiteSent = false;
  /** Keeps the order of events whose once-only check waits on storage. */
  private chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly runtime: PixelRuntime) {
    this.enabled = new Set(
      runtime.settings.ingestUrl && runtime.settings.pixelKey ? parseEnabledEvents(runtime.settings.events) : [],
    );
    this.customer = trimCustomer(runtime.customer);
    this.consent = { ...runtime.consent };
  }

  /** The standard events to subscribe to: those enabled (Logged In rides on the first event of the page). */
  subscriptions(): PixelEventName[] {
    const wanted = [...this.enabled].filter((name) => name !== "logged_in");
    return this.enabled.has("logged_in") && !wanted.includes("page_viewed") ? [...wanted, "page_viewed"] : wanted;
  }

  /** A standard event from analytics.subscribe. Returns when it is queued or dropped. */
  observe(name: PixelEventName, event: unknown): Promise<void> {
    const next = this.chain.then(() => this.take(name, event));
    this.chain = next.catch(() => undefined);
    return next;
  }

  /** visitorConsentCollected: from now on, what the visitor allows decides; withdrawn consent empties the queue. */
  updateConsent(consent: CustomerPrivacy): Promise<void> {
    this.consent = { ...consent };
    this.queue = this.queue.filter((queued) => consentAllows(this.consent, queued.name));
    if (!this.queue.length) this.cancelTimer();
    // Logged In waits for consent, not for the next page.
    return this.clientId && !this.loggedInChecked ? this.observe("logged_in", undefined) : Promise.resolve();
  }

  /** Sends whatever is queued (the timer, a full batch, the page being hidden). */
  flush() {
    this.cancelTimer();
    const events = this.queue.filter((queued) => consentAllows(this.consent, queued.name));
    this.queue = [];
    if (!events.length || !this.clientId) return;
    for (const body of batchBodies(this.batchOf(events))) this.runtime.send(this.runtime.settings.ingestUrl!, body);
  }

  private async take(name: PixelEventName, event: unknown) {
    const clientId = (event as { clientId?: unknown } | undefined)?.clientId;
    if (typeof clientId === "string" && clientId) this.clientId ??= clientId;
    if (name !== "logged_in" && event !== undefined) await this.takeLoggedIn(event);
    if (name === "logged_in") return this.takeLoggedIn(this.lastContext);
    if (event !== undefined) this.lastContext = event;
    if (!this.enabled.has(name) || !consentAllows(this.consent, name)) return;
    if (name === "page_viewed") {
      if (this.activeOnSiteSent || (await this.runtime.session.getItem(ACTIVE_ON_SITE_KEY))) return;
      this.activeOnSiteSent = true;
      await this.runtime.session.setItem(ACTIVE_ON_SITE_KEY, "1");
    }
    const trimmed = trimEvent(event, name);
    if (trimmed) this.enqueue(trimmed);
  }

  /** Logged In, once per customer in this browser, when Shopify knows who the visitor is and consent allows. */
  private async takeLoggedIn(event: unknown) {
    if (this.loggedInChecked || !this.customer || !this.clientId || !this.enabled.has("logged_in")) return;
    if (!consentAllows(this.consent, "logged_in")) return;
    this.loggedInChecked = true;
    const key = loggedInKey(this.customer.id);
    if (await this.runtime.local.getItem(key)) return;
    await this.runtime.local.setItem(key, "1");
    const source = (event ?? {}) as { timestamp?: string; context?: unknown };
    const trimmed = trimEvent(
      { id: `logged_in:${this.clientId}:${this.customer.id}`, timestamp: source.timestamp, context: source.context },
      "logged_in",
    );
    if (trimmed) this.enqueue(trimmed);
  }

  private enqueue(event: PixelEvent) {
    this.queue.push(event);
    if (this.queue.length >= BATCH_SIZE || SEND_AT_ONCE.has(event.name)) this.flush();
    else this.timer ??= this.runtime.setTimer(() => this.flush(), FLUSH_AFTER_MS);
  }

  private cancelTimer() {
    if (this.timer !== undefined) this.runtime.clearTimer(this.timer);
    this.timer = undefined;
  }

  private batchOf(events: PixelEvent[]): PixelBatch {
    return {
      v: CONTRACT_VERSION,
      shop: this.runtime.shop,
      pixelKey: this.runtime.settings.pixelKey!,
      clientId: this.clientId!,
      customer: this.customer,
      events,
    };
  }
}

/**
 * One batch as request bodies within the contract: at most 20 events and 16 KB each, split in
 * halves until they fit; an event that is too large on its own is dropped (the server would refuse it).
 */
export function batchBodies(batch: PixelBatch): string[] {
  const body = JSON.stringify(batch);
  if (batch.events.length <= MAX_EVENTS_PER_BATCH && new TextEncoder().encode(body).length <= MAX_BATCH_BYTES)
    return [body];
  if (batch.events.length === 1) return [];
  const half = Math.ceil(batch.events.length / 2);
  return [
    ...batchBodies({ ...batch, events: batch.events.slice(0, half) }),
    ...batchBodies({ ...batch, events: batch.events.slice(half) }),
  ];
}
