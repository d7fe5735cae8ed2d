/**
 * What Waypost reads back from the merchant's Klaviyo account, as plain values: the metrics it
 * has (Get Metrics, with their integration and the flows they trigger) and one metric's daily
 * counts (Query Metric Aggregates). Pure: the wire shapes of revision 2026-07-15 in, facts out.
 */

interface Resource {
  type: string;
  id: string;
  attributes?: Record<string, unknown>;
}

/** Get Metrics' answer, as much of it as Waypost reads. */
export interface MetricsPage {
  data?: Array<Resource & { relationships?: { "flow-triggers"?: { data?: Array<{ type: string; id: string }> } } }>;
  included?: Resource[];
  links?: { next?: string | null };
}

export interface MetricAggregateQuery {
  data: {
    type: "metric-aggregate";
    attributes: {
      metric_id: string;
      measurements: Array<"count">;
      interval: "day";
      filter: string[];
      timezone: string;
    };
  };
}

export interface MetricAggregateResponse {
  data?: {
    attributes?: { dates?: string[]; data?: Array<{ dimensions?: string[]; measurements?: { count?: number[] } }> };
  };
}

export type FlowStatus = "live" | "draft" | "manual";

export interface KlaviyoFlow {
  id: string;
  name: string;
  status: FlowStatus | string;
}

export interface KlaviyoMetric {
  id: string;
  name: string;
  /** The integration the metric came in through (Klaviyo's Shopify integration, the API, an app). */
  integration: { name: string; category: string } | null;
  /** Flows this metric triggers, archived ones left out. */
  flows: KlaviyoFlow[];
}

const text = (value: unknown) => (typeof value === "string" ? value : "");

/** The metrics of one Get Metrics page, each with the (unarchived) flows it triggers. */
export function metricsOfPage(page: MetricsPage): KlaviyoMetric[] {
  const flows = new Map(
    (page.included ?? [])
      .filter((resource) => resource.type === "flow" && resource.attributes?.archived !== true)
      .map((flow) => [
        flow.id,
        { id: flow.id, name: text(flow.attributes?.name) || flow.id, status: text(flow.attributes?.status) },
      ]),
  );
  return (page.data ?? []).map((metric) => {
    const integration = metric.attributes?.integration as Record<string, unknown> | null | undefined;
    return {
      id: metric.id,
      name: text(metric.attributes?.name),
      integration: integration ? { name: text(integration.name), category: text(integration.category) } : null,
      flows: (metric.relationships?.["flow-triggers"]?.data ?? []).flatMap((ref) => flows.get(ref.id) ?? []),
    };
  });
}

/** Klaviyo's own Shopify integration sends Placed Order, Ordered Product, ... under these names. */
export const isFromShopifyIntegration = (metric: KlaviyoMetric) => metric.integration?.name.toLowerCase() === "shopify";

/** Klaviyo's onsite tracking (klaviyo.js: Active on Site, Viewed Product, ...) files its metrics under "Klaviyo". */
export const isFromKlaviyoOnsite = (metric: KlaviyoMetric) => metric.integration?.name.toLowerCase() === "klaviyo";

/** Which of Klaviyo's own sources already sends a metric: Waypost's twin of it would double it. */
const otherSourceOf = (metric: KlaviyoMetric): "Shopify integration" | "onsite tracking" | null =>
  isFromShopifyIntegration(metric) ? "Shopify integration" : isFromKlaviyoOnsite(metric) ? "onsite tracking" : null;

/** Where the merchant opens things in Klaviyo's web app (its origin comes from configuration). */
export interface KlaviyoWebLinks {
  flow(id: string): string;
  flowBuilder: string;
}

export const klaviyoWebLinks = (origin: string): KlaviyoWebLinks => ({
  flow: (id) => `${origin}/flow/${encodeURIComponent(id)}/edit`,
  flowBuilder: `${origin}/flows/create`,
});

/** What Track Settings shows beside one event's toggle. */
export interface EventKlaviyoFacts {
  /** Klaviyo has Waypost's metric of this name (it has received at least one event). */
  metricPresent: boolean;
  /** Waypost's own metric's id, for its daily counts. */
  metricId: string | null;
  flows: Array<KlaviyoFlow & { url: string }>;
  liveFlows: number;
  /** The metric of the same name from Klaviyo's own Shopify integration or onsite tracking, if the account has one. */
  shopifyMetricId: string | null;
  /** Which of Klaviyo's own sources that metric comes from. */
  shadowedBy: "Shopify integration" | "onsite tracking" | null;
}

/**
 * One event's facts. Waypost's metric is the one of that name not from Klaviyo's Shopify
 * integration; flows triggered by the Shopify one are not Waypost's to show.
 */
export function eventKlaviyoFacts(metricName: string, metrics: KlaviyoMetric[], links: KlaviyoWebLinks) {
  const named = metrics.filter((metric) => metric.name === metricName);
  const own = named.find((metric) => !otherSourceOf(metric));
  const shadow = named.find((metric) => otherSourceOf(metric));
  const flows = (own?.flows ?? []).map((flow) => ({ ...flow, url: links.flow(flow.id) }));
  return {
    metricPresent: Boolean(own),
    metricId: own?.id ?? null,
    flows,
    liveFlows: flows.filter((flow) => flow.status === "live").length,
    shopifyMetricId: shadow?.id ?? null,
    shadowedBy: shadow ? otherSourceOf(shadow) : null,
  } satisfies EventKlaviyoFacts;
}

/**
 * Query Metric Aggregates for one metric's daily counts over whole calendar days of the store
 * (`days`, oldest first), in its IANA time zone: the range is written as wall-clock times that
 * Klaviyo reads in `timezone`, so its days are the store's days.
 */
export function metricCountsQuery(metricId: string, days: string[], timeZone: string): MetricAggregateQuery {
  const last = days[days.length - 1];
  const after = new Date(Date.parse(`${last}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  return {
    data: {
      type: "metric-aggregate",
      attributes: {
        metric_id: metricId,
        measurements: ["count"],
        interval: "day",
        filter: [`greater-or-equal(datetime,${days[0]}T00:00:00)`, `less-than(datetime,${after}T00:00:00)`],
        timezone: timeZone,
      },
    },
  };
}

/** The answer's counts by calendar day ("2026-11-30T00:00:00-05:00" is the day 2026-11-30). */
export function dailyCountsOf(response: MetricAggregateResponse): Record<string, number> {
  const dates = response.data?.attributes?.dates ?? [];
  const counts = response.data?.attributes?.data?.[0]?.measurements?.count ?? [];
  return Object.fromEntries(dates.map((date, index) => [date.slice(0, 10), counts[index] ?? 0]));
}
