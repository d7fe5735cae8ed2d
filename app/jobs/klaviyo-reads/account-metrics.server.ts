import type { KlaviyoConnection } from "@prisma/client";
import { metricsOfPage, type KlaviyoMetric } from "../../klaviyo/account-metrics";
import { cachedRead, readInLane, storeRead } from "./read-in-lane.server";

// Track Settings reads this on every visit: once per 5 minutes per account is plenty (150/min allowed).
const METRICS_MAX_AGE_MS = 5 * 60_000;
// 200 metrics a page; an account with more than 2,000 metrics is shown its first 2,000.
const MAX_PAGES = 10;

export interface AccountMetrics {
  metrics: KlaviyoMetric[] | null;
  fetchedAt: Date | null;
  /** Why the metrics could not be read just now (what is shown then is the last good answer, if any). */
  error: string | null;
}

/**
 * The Klaviyo account's metrics with their integrations and flows (Get Metrics,
 * include=flow-triggers, every page), cached per account for every shop on it.
 */
export async function accountMetrics(
  connection: KlaviyoConnection,
  { refresh = false }: { refresh?: boolean } = {},
): Promise<AccountMetrics> {
  const key = `${connection.accountId}:metrics`;
  const cached = await cachedRead<KlaviyoMetric[]>(key, METRICS_MAX_AGE_MS);
  if (cached?.fresh && !refresh) return { metrics: cached.data, fetchedAt: cached.fetchedAt, error: null };

  const metrics: KlaviyoMetric[] = [];
  let next: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const read = await readInLane(connection, "metrics", (klaviyo) => klaviyo.getMetricsPage(next));
    if (!read.ok) return { metrics: cached?.data ?? null, fetchedAt: cached?.fetchedAt ?? null, error: read.message };
    metrics.push(...metricsOfPage(read.data));
    next = read.data.links?.next ?? undefined;
    if (!next) break;
  }
  const fetchedAt = new Date();
  await storeRead(key, metrics, fetchedAt);
  return { metrics, fetchedAt, error: null };
}
