/**
 * Counts per key in fixed windows (one minute by default), in memory: the pixel's per-shop and
 * per-visitor limits. Pure (the clock is passed in). Memory is bounded: the counts are dropped
 * when a window ends, and past `maxKeys` distinct keys in one window new keys share one count.
 */
export class WindowedLimit {
  private windowStart = 0;
  private counts = new Map<string, number>();

  constructor(
    private readonly limit: number,
    private readonly windowMs = 60_000,
    private readonly maxKeys = 100_000,
  ) {}

  /** Whether one more request for the key fits; counts it when it does. */
  take(key: string, now: number): boolean {
    if (!this.fits(key, now)) return false;
    const counted = this.counted(key);
    this.counts.set(counted, (this.counts.get(counted) ?? 0) + 1);
    return true;
  }

  /** Whether one more would fit, counting nothing. */
  fits(key: string, now: number): boolean {
    if (now - this.windowStart >= this.windowMs) {
      this.windowStart = now - ((now - this.windowStart) % this.windowMs);
      this.counts.clear();
    }
    return (this.counts.get(this.counted(key)) ?? 0) < this.limit;
  }

  /** Seconds until the current window ends: a refused sender's Retry-After. */
  retryAfterSeconds(now: number): number {
    return Math.max(1, Math.ceil((this.windowStart + this.windowMs - now) / 1000));
  }

  private counted(key: string) {
    return this.counts.has(key) || this.counts.size < this.maxKeys ? key : "(overflow)";
  }
}
