import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { bulkCreateEventsBody } from "../../klaviyo/event-payload";
import { deliveryStats, profileAttributes, profileImportBody } from "../../klaviyo/profile";
import { operationOf, rateLimitOf, validateKlaviyoRequest } from "./klaviyo-openapi.server";

// Waypost's own Create Event bodies, one per event, exactly as the app builds them.
const goldenFolder = join(__dirname, "../../klaviyo/__golden__");
const goldens = readdirSync(goldenFolder)
  .filter((file) => file.endsWith(".json"))
  .map((file) => ({ file, body: JSON.parse(readFileSync(join(goldenFolder, file), "utf8")) }));
const placedOrder = () => structuredClone(goldens.find(({ file }) => file === "placed_order.json")!.body);

const errorsOf = (method: string, path: string, body: unknown) => {
  const outcome = validateKlaviyoRequest(method, path, body);
  return outcome.ok ? [] : outcome.body.errors;
};

describe("Klaviyo's OpenAPI spec, revision 2026-07-15", () => {
  it("has all the golden event bodies", () => expect(goldens.length).toBeGreaterThanOrEqual(15));

  for (const { file, body } of goldens) {
    it(`accepts the golden Create Event body ${file}`, () => {
      expect(validateKlaviyoRequest("POST", "/api/events", body)).toEqual({ ok: true });
    });
  }

  it("refuses a Create Event body without data.type, with a string value and an unknown metric type", () => {
    const body = placedOrder();
    delete body.data.type;
    body.data.attributes.value = "48.50";
    body.data.attributes.metric.data.type = "metrics";
    const errors = errorsOf("POST", "/api/events", body);
    expect(errors.map((error) => error.source.pointer)).toEqual([
      "/data/type",
      "/data/attributes/value",
      "/data/attributes/metric/data/type",
    ]);
    expect(errors[2].detail).toBe(
      '/data/attributes/metric/data/type must be equal to one of the allowed values: "metric"',
    );
    for (const error of errors) {
      expect(error).toMatchObject({ status: 400, code: "invalid", title: "Invalid input.", links: {}, meta: {} });
      expect(error.id).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it("refuses a missing body, and a profile whose email is not a string", () => {
    expect(errorsOf("POST", "/api/events", undefined)).toMatchObject([
      { source: { pointer: "" }, detail: "A request body is required." },
    ]);
    const body = placedOrder();
    body.data.attributes.profile.data.attributes.email = 42;
    expect(errorsOf("POST", "/api/events", body).map((error) => error.source.pointer)).toEqual([
      "/data/attributes/profile/data/attributes/email",
    ]);
  });

  it("accepts nulls where the spec marks a field nullable, even beside a $ref", () => {
    const body = placedOrder();
    Object.assign(body.data.attributes, { value: null, unique_id: null });
    body.data.attributes.profile.data.attributes.location = null;
    expect(errorsOf("POST", "/api/events", body)).toEqual([]);
  });

  it("accepts the Bulk Create Events body Waypost builds from those events", () => {
    const { body } = bulkCreateEventsBody(goldens.map((golden) => golden.body));
    expect(validateKlaviyoRequest("POST", "/api/event-bulk-create-jobs", body)).toEqual({ ok: true });
    const broken = structuredClone(body);
    broken.data.attributes["events-bulk-create"].data[0].attributes.events.data[0].type = "events";
    expect(errorsOf("POST", "/api/event-bulk-create-jobs", broken).map((error) => error.source.pointer)).toEqual([
      "/data/attributes/events-bulk-create/data/0/attributes/events/data/0/type",
    ]);
  });

  it("accepts the profile-import body Waypost sends with a customer's delivery stats", () => {
    const contact = {
      email: "Ann.Lee@example.com",
      phone: "(415) 555-0199",
      firstName: "Ann",
      lastName: "Lee",
      company: null,
      country: null,
    };
    const shipments = [
      { orderId: "1", shippedAt: new Date("2026-11-20T00:00:00Z"), deliveredAt: new Date("2026-11-23T00:00:00Z") },
    ];
    const body = profileImportBody({ ...profileAttributes(contact), properties: deliveryStats(shipments) });
    expect(validateKlaviyoRequest("POST", "/api/profile-import", body)).toEqual({ ok: true });
    expect(
      errorsOf("POST", "/api/profile-import", { data: { type: "profiles", attributes: {} } }).map(
        (error) => error.source.pointer,
      ),
    ).toEqual(["/data/type"]);
  });

  it("finds the operation for a concrete path, with its scopes and rate limits", () => {
    expect(operationOf("POST", "/api/events")).toMatchObject({ operationId: "create_event", scopes: ["events:write"] });
    expect(operationOf("get", "/api/metrics/Y6ZnEs/flow-triggers?fields[flow]=name")).toEqual({
      operationId: "get_flows_triggered_by_metric",
      summary: "Get Flows Triggered by Metric",
      method: "GET",
      pathTemplate: "/api/metrics/{id}/flow-triggers",
      pathParameters: { id: "Y6ZnEs" },
      scopes: ["flows:read", "metrics:read"],
    });
    expect(operationOf("POST", "/api/profile-merge")?.operationId).toBe("merge_profiles");
    expect(operationOf("POST", "/api/metric-aggregates")?.operationId).toBe("query_metric_aggregates");
    expect(operationOf("POST", "/api/webhooks")?.scopes).toEqual(["webhooks:write"]);
    expect(operationOf("POST", "/api/nothing-here")).toBeUndefined();

    expect(rateLimitOf("POST", "/api/events")).toEqual({ burstPerSecond: 350, steadyPerMinute: 3500 });
    expect(rateLimitOf("POST", "/api/event-bulk-create-jobs")).toEqual({ burstPerSecond: 10, steadyPerMinute: 150 });
    expect(rateLimitOf("POST", "/api/profile-import")).toEqual({ burstPerSecond: 75, steadyPerMinute: 750 });
    expect(rateLimitOf("GET", "/api/webhooks")).toEqual({ burstPerSecond: 1, steadyPerMinute: 15 });
    expect(rateLimitOf("POST", "/api/lists")).toEqual({ burstPerSecond: 10, steadyPerMinute: 150, dailyPerDay: 150 });
  });

  it("throws for an operation the spec does not have", () => {
    expect(() => validateKlaviyoRequest("POST", "/api/nothing-here", {})).toThrow(
      "has no operation POST /api/nothing-here",
    );
  });
});
