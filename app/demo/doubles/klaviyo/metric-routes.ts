import type { ServerResponse } from "node:http";
import { startOfDayIn } from "../../../time";
import { apiError, sendJson } from "../http-exchange";
import { API_INTEGRATION, metricIdOf, type DoubleAccount, type DoubleState } from "./double-state";

// Get Metrics (with its flow-triggers) and Query Metric Aggregates, as revision 2026-07-15
// publishes them: what the double reads of a query, and the shapes it answers with.

const PAGE_SIZE = 200;
const METRIC_FIELDS = ["created", "id", "integration", "name", "updated"];
const FLOW_FIELDS = ["archived", "created", "id", "name", "status", "trigger_type", "updated"];
const MEASUREMENTS = ["count", "sum_value", "unique"];
const MAX_RANGE_DAYS = 366;

export interface ReadRequest {
  url: URL;
  scopes: string[] | "all";
}

// A bad query parameter is pointed at by name (`source.parameter`), as Klaviyo's error schema allows.
const parameterError = (response: ServerResponse, parameter: string, detail: string) => {
  const [error] = apiError(400, "invalid", detail).errors;
  sendJson(response, 400, { errors: [{ ...error, source: { parameter } }] });
};

const missingScope = (response: ServerResponse, scope: string) =>
  sendJson(
    response,
    403,
    apiError(403, "permission_denied", `You do not have permission to perform this action (requires ${scope}).`),
  );

const granted = (scopes: ReadRequest["scopes"], scope: string) => scopes === "all" || scopes.includes(scope);

/** `fields[metric]=name,integration` → the allowed names, or the first one that is not allowed. */
function sparseFields(url: URL, parameter: string, allowed: string[]) {
  const raw = url.searchParams.get(parameter);
  if (raw === null) return { fields: undefined };
  const fields = raw.split(",").filter(Boolean);
  const unknown = fields.find((field) => !allowed.includes(field));
  return unknown ? { unknown } : { fields };
}

const pick = (attributes: Record<string, unknown>, fields: string[] | undefined) =>
  fields ? Object.fromEntries(Object.entries(attributes).filter(([key]) => fields.includes(key))) : attributes;

/** GET /api/metrics: every metric of the account, 200 a page, filterable by integration only. */
export function getMetrics(
  state: DoubleState,
  account: DoubleAccount,
  _body: unknown,
  response: ServerResponse,
  { url, scopes }: ReadRequest,
) {
  if (!granted(scopes, "metrics:read")) return missingScope(response, "metrics:read");
  const include = url.searchParams.get("include");
  if (include !== null && include !== "flow-triggers")
    return parameterError(response, "include", `'${include}' is not a valid related resource. Allowed: flow-triggers`);
  if (include && !granted(scopes, "flows:read")) return missingScope(response, "flows:read");
  const metricFields = sparseFields(url, "fields[metric]", METRIC_FIELDS);
  if ("unknown" in metricFields)
    return parameterError(response, "fields[metric]", `'${metricFields.unknown}' is not a valid field for metric`);
  const flowFields = sparseFields(url, "fields[flow]", FLOW_FIELDS);
  if ("unknown" in flowFields)
    return parameterError(response, "fields[flow]", `'${flowFields.unknown}' is not a valid field for flow`);

  let metrics = state.metricsOf(account.id);
  const filter = url.searchParams.get("filter");
  if (filter !== null) {
    const match = /^equals\(integration\.(name|category),["']([^"']*)["']\)$/.exec(filter);
    if (!match)
      return parameterError(
        response,
        "filter",
        "Invalid filter. Allowed field(s)/operator(s): integration.name: equals, integration.category: equals",
      );
    metrics = metrics.filter((metric) => metric.integration[match[1] as "name" | "category"] === match[2]);
  }
  const cursor = url.searchParams.get("page[cursor]");
  const offset = cursor === null ? 0 : Number(Buffer.from(cursor, "base64url").toString("utf8"));
  if (!Number.isInteger(offset) || offset < 0) return parameterError(response, "page[cursor]", "Invalid page cursor");
  const page = metrics.slice(offset, offset + PAGE_SIZE);
  const pageLink = (at: number) => {
    const link = new URL(url);
    link.searchParams.set("page[cursor]", Buffer.from(String(at)).toString("base64url"));
    return link.toString();
  };

  const flowsOf = (metric: (typeof metrics)[number]) =>
    state.flows.filter(
      (flow) =>
        flow.accountId === account.id &&
        flow.triggerMetric === metric.name &&
        (flow.triggerIntegration ?? API_INTEGRATION).key === metric.integration.key,
    );
  const included = include ? page.flatMap(flowsOf) : [];
  sendJson(response, 200, {
    data: page.map((metric) => ({
      type: "metric",
      id: metric.id,
      attributes: pick(
        { name: metric.name, created: metric.created, updated: metric.created, integration: metric.integration },
        metricFields.fields,
      ),
      relationships: {
        "flow-triggers": {
          ...(include ? { data: flowsOf(metric).map((flow) => ({ type: "flow", id: flow.id })) } : {}),
          links: {
            self: `${url.origin}/api/metrics/${metric.id}/relationships/flow-triggers/`,
            related: `${url.origin}/api/metrics/${metric.id}/flow-triggers/`,
          },
        },
      },
      links: { self: `${url.origin}/api/metrics/${metric.id}/` },
    })),
    links: {
      self: url.toString(),
      next: offset + PAGE_SIZE < metrics.length ? pageLink(offset + PAGE_SIZE) : null,
      prev: offset > 0 ? pageLink(Math.max(0, offset - PAGE_SIZE)) : null,
    },
    ...(include
      ? {
          included: included.map((flow) => ({
            type: "flow",
            id: flow.id,
            attributes: pick(
              {
                name: flow.name,
                status: flow.status,
                archived: flow.archived ?? false,
                created: "2026-01-01T00:00:00+00:00",
                updated: "2026-01-01T00:00:00+00:00",
                trigger_type: "Metric",
              },
              flowFields.fields,
            ),
            links: { self: `${url.origin}/api/flows/${flow.id}/` },
          })),
        }
      : {}),
  });
}

interface AggregateAttributes {
  metric_id?: string;
  measurements?: string[];
  interval?: string | null;
  filter?: string[];
  timezone?: string | null;
  by?: string[] | null;
}

/** A filter's datetime: an instant when it carries an offset, else a wall-clock time in `timeZone`. */
function instantOf(value: string, timeZone: string): number | undefined {
  if (/(Z|[+-]\d{2}:?\d{2})$/.test(value)) {
    const parsed = Date.parse(value);
    return Number.isNaN(parsed) ? undefined : parsed;
  }
  const match = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$/.exec(value);
  const midnight = match && startOfDayIn(match[1], timeZone);
  if (!match || !midnight) return undefined;
  return (
    midnight.getTime() + ((Number(match[2] ?? 0) * 60 + Number(match[3] ?? 0)) * 60 + Number(match[4] ?? 0)) * 1000
  );
}

const calendarDayIn = (instant: number, timeZone: string) =>
  new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(instant);

/** "2026-11-30T00:00:00-05:00": the start of a day in the zone, written as Klaviyo writes `dates`. */
function dayStartWithOffset(day: string, timeZone: string) {
  const start = startOfDayIn(day, timeZone)!.getTime();
  const offsetMinutes = Math.round((Date.parse(`${day}T00:00:00Z`) - start) / 60_000);
  const sign = offsetMinutes < 0 ? "-" : "+";
  const hours = String(Math.floor(Math.abs(offsetMinutes) / 60)).padStart(2, "0");
  const minutes = String(Math.abs(offsetMinutes) % 60).padStart(2, "0");
  return `${day}T00:00:00${sign}${hours}:${minutes}`;
}

/**
 * POST /api/metric-aggregates: the count (and unique profiles, summed value) of one metric's
 * events per day of the query's time zone, bucketed by each event's own `time`, as Klaviyo does.
 * The double answers day intervals without `by` groupings; anything else is refused, never guessed.
 */
export function queryMetricAggregates(
  state: DoubleState,
  account: DoubleAccount,
  body: { data?: { attributes?: AggregateAttributes } } | undefined,
  response: ServerResponse,
  { scopes }: ReadRequest,
) {
  if (!granted(scopes, "metrics:read")) return missingScope(response, "metrics:read");
  const attributes = body?.data?.attributes ?? {};
  const invalid = (pointer: string, detail: string) =>
    sendJson(response, 400, apiError(400, "invalid", detail, `/data/attributes/${pointer}`));
  const timeZone = attributes.timezone ?? "UTC";
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
  } catch {
    return invalid("timezone", `Unknown timezone '${timeZone}'.`);
  }
  const metric = state.metricsOf(account.id).find((candidate) => candidate.id === attributes.metric_id);
  if (!metric) return invalid("metric_id", `Metric '${attributes.metric_id}' does not exist in this account.`);
  const unknownMeasurement = (attributes.measurements ?? []).find((name) => !MEASUREMENTS.includes(name));
  if (unknownMeasurement || !attributes.measurements?.length)
    return invalid("measurements", "At least one of count, sum_value, unique is required.");
  if ((attributes.interval ?? "day") !== "day") return invalid("interval", "The double answers day intervals only.");
  if (attributes.by?.length) return invalid("by", "The double does not group by dimensions.");

  const bound = (operator: string) =>
    (attributes.filter ?? [])
      .map((filter) => new RegExp(`^${operator}\\(datetime,["']?([^"')]+)["']?\\)$`).exec(filter)?.[1])
      .find(Boolean);
  const from = bound("greater-or-equal");
  const to = bound("less-than");
  const start = from === undefined ? undefined : instantOf(from, timeZone);
  const end = to === undefined ? undefined : instantOf(to, timeZone);
  if (start === undefined || end === undefined || end <= start)
    return invalid(
      "filter",
      "A time range is required: greater-or-equal(datetime,...) and less-than(datetime,...), in ISO 8601.",
    );
  if (end - start > MAX_RANGE_DAYS * 86_400_000) return invalid("filter", "The time range may span at most one year.");

  const days: string[] = [];
  for (let day = calendarDayIn(start, timeZone); startOfDayIn(day, timeZone)!.getTime() < end;) {
    days.push(day);
    day = new Date(Date.parse(`${day}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  }
  const buckets = new Map(days.map((day) => [day, { count: 0, sum: 0, profiles: new Set<string>() }]));
  for (const event of state.events) {
    if (event.accountId !== account.id || metricIdOf(account.id, API_INTEGRATION, event.metric) !== metric.id) continue;
    const at = Date.parse(event.time ?? event.receivedAt);
    if (at < start || at >= end) continue;
    const bucket = buckets.get(calendarDayIn(at, timeZone));
    if (!bucket) continue;
    bucket.count++;
    bucket.sum += event.value ?? 0;
    bucket.profiles.add(String(event.profile.email ?? event.profile.phone_number ?? event.profile.external_id));
  }
  const series = {
    count: days.map((day) => buckets.get(day)!.count),
    sum_value: days.map((day) => buckets.get(day)!.sum),
    unique: days.map((day) => buckets.get(day)!.profiles.size),
  };
  sendJson(response, 200, {
    data: {
      type: "metric-aggregate",
      id: crypto.randomUUID(),
      attributes: {
        dates: days.map((day) => dayStartWithOffset(day, timeZone)),
        data: [
          {
            dimensions: [],
            measurements: Object.fromEntries(attributes.measurements.map((name) => [name, series[name as "count"]])),
          },
        ],
      },
      links: { self: "/api/metric-aggregates/" },
    },
    links: { self: "/api/metric-aggregates/" },
  });
}
