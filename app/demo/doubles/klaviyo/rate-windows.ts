/** Klaviyo's published per-account limits (burst per second, steady per minute), by endpoint. */
export const ENDPOINT_LIMITS = {
  accounts: { perSecond: 1, perMinute: 15 },
  metrics: { perSecond: 10, perMinute: 150 },
  events: { perSecond: 350, perMinute: 3500 },
  profiles: { perSecond: 75, perMinute: 750 },
  bulk: { perSecond: 10, perMinute: 150 },
  aggregates: { perSecond: 3, perMinute: 60 },
  webhooks: { perSecond: 1, perMinute: 15 },
  eventReads: { perSecond: 350, perMinute: 3500 },
  profileReads: { perSecond: 75, perMinute: 750 },
  merges: { perSecond: 10, perMinute: 150 },
} as const;

export type EndpointClass = keyof typeof ENDPOINT_LIMITS;

interface Window {
  startedAt: number;
  count: number;
}

/**
 * Fixed one-second and one-minute windows per account and endpoint, as Klaviyo counts them.
 * Also remembers the busiest window seen, so tests can prove a client never went over.
 */
export class RateWindows {
  private windows = new Map<string, { second: Window; minute: Window }>();
  readonly peaks = new Map<string, { perSecond: number; perMinute: number }>();

  constructor(
    private limits: Record<EndpointClass, { perSecond: number; perMinute: number }> = { ...ENDPOINT_LIMITS },
  ) {}

  setLimit(endpoint: EndpointClass, limit: { perSecond: number; perMinute: number }) {
    this.limits[endpoint] = limit;
  }

  /** Counts a request; returns the seconds to wait when it is over a limit (and not counted). */
  take(
    account: string,
    endpoint: EndpointClass,
    now = Date.now(),
  ): { allowed: true } | { allowed: false; retryAfterSeconds: number } {
    const key = `${account}:${endpoint}`;
    const limit = this.limits[endpoint];
    const current = this.windows.get(key) ?? {
      second: { startedAt: now, count: 0 },
      minute: { startedAt: now, count: 0 },
    };
    if (now - current.second.startedAt >= 1000) current.second = { startedAt: now, count: 0 };
    if (now - current.minute.startedAt >= 60_000) current.minute = { startedAt: now, count: 0 };
    this.windows.set(key, current);

    if (current.minute.count >= limit.perMinute) {
      return { allowed: false, retryAfterSeconds: Math.ceil((current.minute.startedAt + 60_000 - now) / 1000) };
    }
    if (current.second.count >= limit.perSecond) {
      return { allowed: false, retryAfterSeconds: 1 };
    }
    current.second.count++;
    current.minute.count++;
    const peak = this.peaks.get(key) ?? { perSecond: 0, perMinute: 0 };
    this.peaks.set(key, {
      perSecond: Math.max(peak.perSecond, current.second.count),
      perMinute: Math.max(peak.perMinute, current.minute.count),
    });
    return { allowed: true };
  }

  reset() {
    this.windows.clear();
    this.peaks.clear();
  }
}
