import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { metricCountsQuery, metricsOfPage } from "../../../klaviyo/account-metrics";
import { KlaviyoApi } from "../../../klaviyo/api-client.server";
import { seedAccount, startKlaviyoDouble, DEFAULT_ACCOUNTS, type KlaviyoDouble } from "./server";

const KEY = DEFAULT_ACCOUNTS[0].privateKeys[0];
let double: KlaviyoDouble;
beforeAll(async () => {
  double = await startKlaviyoDouble({ clients: [{ clientId: "c1", clientSecret: "s1" }] });
});
afterAll(async () => double.close());
beforeEach(() => double.state.reset());

const api = () =>
  new KlaviyoApi({ baseUrl: double.url, revision: "2026-07-15", credential: { method: "private_key", apiKey: KEY } });
const get = (path: string) =>
  fetch(`${double.url}${path}`, { headers: { Authorization: `Klaviyo-API-Key ${KEY}`, revision: "2026-07-15" } });
const event = (metric: string, time: string) => ({
  data: {
    type: "event",
    attributes: {
      metric: { data: { type: "metric", attributes: { name: metric } } },
      profile: { data: { type: "profile", attributes: { email: "ann@example.com" } } },
      properties: {},
      time,
      unique_id: `${metric}-${time}`,
    },
  },
});

describe("Klaviyo double: Get Metrics and Query Metric Aggregates", () => {
  it("lists one metric per integration and name, with the flows each triggers when asked to include them", async () => {
    await api().createEvent(event("Placed Order", "2026-11-30T15:00:00Z"));
    seedAccount(double.state, {
      shopifyMetrics: [{ accountId: "KDEMO1", name: "Placed Order" }],
      flows: [{ id: "F1", accountId: "KDEMO1", name: "Thanks", status: "live", triggerMetric: "Placed Order" }],
    });
    const outcome = await api().getMetricsPage();
    expect(outcome.ok).toBe(true);
    const metrics = metricsOfPage(outcome.ok ? outcome.data : {});
    expect(
      metrics.map((metric) => [metric.name, metric.integration?.name, metric.flows.map((flow) => flow.id)]),
    ).toEqual([
      ["Placed Order", "Shopify", []],
      ["Placed Order", "API", ["F1"]],
    ]);
  });

  it("refuses what Klaviyo refuses: an unknown include, an unknown sparse field, a filter on name", async () => {
    for (const [query, parameter] of [
      ["include=flows", "include"],
      ["fields[metric]=colour", "fields[metric]"],
      ["filter=equals(name,'Placed Order')", "filter"],
    ]) {
      const response = await get(`/api/metrics?${query}`);
      expect(response.status).toBe(400);
      expect((await response.json()).errors[0].source).toEqual({ parameter });
    }
  });

  it("counts a metric's events per day of the asked time zone, by each event's own time", async () => {
    await api().createEvent(event("Delivered", "2026-11-30T15:00:00Z"));
    // 03:30 UTC on Dec 1 is still Nov 30 in New York.
    await api().createEvent(event("Delivered", "2026-12-01T03:30:00Z"));
    await api().createEvent(event("Delivered", "2026-12-01T16:00:00Z"));
    const metrics = await api().getMetricsPage();
    const id = metricsOfPage(metrics.ok ? metrics.data : {})[0].id;
    const answer = await api().queryMetricAggregates(
      metricCountsQuery(id, ["2026-11-29", "2026-11-30", "2026-12-01"], "America/New_York"),
    );
    expect(answer.ok && answer.data.data?.attributes).toEqual({
      dates: ["2026-11-29T00:00:00-05:00", "2026-11-30T00:00:00-05:00", "2026-12-01T00:00:00-05:00"],
      data: [{ dimensions: [], measurements: { count: [0, 2, 1] } }],
    });
  });

  it("refuses an aggregate query with no time range, an unknown metric or time zone, as a 400 pointing at it", async () => {
    const query = metricCountsQuery("nope", ["2026-11-30"], "Mars/Olympus");
    const unknownZone = await api().queryMetricAggregates(query);
    expect(unknownZone).toMatchObject({ ok: false, status: 400 });
    expect(unknownZone.ok ? "" : unknownZone.detail).toContain("/data/attributes/timezone");
    const unknownMetric = await api().queryMetricAggregates({
      data: { ...query.data, attributes: { ...query.data.attributes, timezone: "UTC" } },
    });
    expect(unknownMetric.ok ? "" : unknownMetric.detail).toContain("/data/attributes/metric_id");
    await api().createEvent(event("Delivered", "2026-11-30T15:00:00Z"));
    const listed = await api().getMetricsPage();
    const id = metricsOfPage(listed.ok ? listed.data : {})[0].id;
    const noRange = await api().queryMetricAggregates({
      data: { ...query.data, attributes: { ...query.data.attributes, metric_id: id, timezone: "UTC", filter: [] } },
    });
    expect(noRange.ok ? "" : noRange.detail).toContain("/data/attributes/filter");
  });
});
