/**
 * One lane per Klaviyo account and endpoint class. A lane remembers when it sent (a sliding
 * log, so no one-second or one-minute window anywhere ever holds more than its limit) and
 * whether Klaviyo asked it to pause. Pure: time is passed in.
 */
export interface LaneLimit {
  perSecond: number;
  perMinute: number;
}

// ~90 % of Klaviyo's published per-account limits, leaving room for clock skew and retries.
export const LANE_LIMITS = {
  events: { perSecond: 315, perMinute: 3150 },
  profiles: { perSecond: 67, perMinute: 675 },
  bulk: { perSecond: 9, perMinute: 135 },
} as const satisfies Record<string, LaneLimit>;

export type LaneKind = keyof typeof LANE_LIMITS;

export class RateLane {
  private sentAt: number[] = [];
  private pausedUntil = 0;

  constructor(readonly limit: LaneLimit) {}

  /** Milliseconds until this lane may send again; 0 means now. */
  waitMs(now: number): number {
    if (this.pausedUntil > now) return this.pausedUntil - now;
    this.forgetBefore(now - 60_000);
    const waits = [0];
    if (this.sentAt.length >= this.limit.perMinute) waits.push(this.sentAt[this.sentAt.length - this.limit.perMinute] + 60_000 - now);
    const lastSecond = this.sentAt.filter((time) => time > now - 1000);
    if (lastSecond.length >= this.limit.perSecond) waits.push(lastSecond[lastSecond.length - this.limit.perSecond] + 1000 - now);
    return Math.max(...waits);
  }

  /** Records a send; call only when waitMs(now) is 0. */
  take(now: number) {
    this.sentAt.push(now);
  }

  /** Klaviyo said 429: this lane, and only this lane, waits as long as it was told. */
  pause(retryAfterMs: number, now: number) {
    this.pausedUntil = Math.max(this.pausedUntil, now + retryAfterMs);
  }

  private forgetBefore(cutoff: number) {
    let drop = 0;
    while (drop < this.sentAt.length && this.sentAt[drop] <= cutoff) drop++;
    if (drop) this.sentAt.splice(0, drop);
  }
}

/**
 * The order to serve work in: one item from each lane in turn, so a shop with a huge backlog
 * gets one send per round like everyone else. Items keep their order within a lane.
 */
export function roundRobin<T>(items: T[], laneOf: (item: T) => string): T[] {
  const lanes = new Map<string, T[]>();
  for (const item of items) {
    const key = laneOf(item);
    lanes.set(key, [...(lanes.get(key) ?? []), item]);
  }
  const queues = [...lanes.values()];
  const ordered: T[] = [];
  for (let round = 0; ordered.length < items.length; round++) {
    for (const queue of queues) if (round < queue.length) ordered.push(queue[round]);
  }
  return ordered;
}
