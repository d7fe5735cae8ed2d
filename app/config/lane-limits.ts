/**
 * How fast Waypost may call Klaviyo, per account and endpoint class: the floor both the
 * environment (which lets an operator lower them) and the rate lanes stand on.
 */
export interface LaneLimit {
  perSecond: number;
  perMinute: number;
}

// ~90 % of Klaviyo's published per-account limits, leaving room for clock skew and retries.
export const DEFAULT_LANE_LIMITS = {
  events: { perSecond: 315, perMinute: 3150 },
  profiles: { perSecond: 67, perMinute: 675 },
  bulk: { perSecond: 9, perMinute: 135 },
  // Read calls for the merchant's eyes (Get Metrics 10/s 150/min; Query Metric Aggregates 3/s
  // 60/min): lanes of their own, so reading never spends what event delivery needs.
  metrics: { perSecond: 9, perMinute: 135 },
  aggregates: { perSecond: 2, perMinute: 54 },
  // Consent sync: the Webhooks API (1/s, 15/min) and the unsubscribe reads (Get Events 350/s,
  // Get Profile 75/s 750/min: the smaller binds).
  webhooks: { perSecond: 1, perMinute: 13 },
  consent: { perSecond: 67, perMinute: 675 },
  // Merge Profiles (10/s, 150/min): a lane of its own, so customer merges never spend profile updates' share.
  merges: { perSecond: 9, perMinute: 135 },
} as const satisfies Record<string, LaneLimit>;

export type LaneKind = keyof typeof DEFAULT_LANE_LIMITS;
