import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { orderStory } from "../platform/sample-order";
import { buildEventPayload } from "../klaviyo/event-payload";
import { detectOrderEvents } from "./detect";
import { normalizeFulfillment, normalizeFulfillmentEvent, normalizeOrder } from "./normalize";

// Whatever a webhook carries, normalization answers ok or a reason; it never throws. These
// throw random JSON and realistic payloads with random values in every field at it.
const story = orderStory({ orderId: 1001 });
const samples = {
  order: story[0].body as Record<string, unknown>,
  fulfillment: story.find((webhook) => webhook.topic === "fulfillments/create")!.body as Record<string, unknown>,
  scan: story.find((webhook) => webhook.topic === "fulfillment_events/create")!.body as Record<string, unknown>,
};

/** The sample with some of its fields replaced by arbitrary JSON (or removed). */
const mutated = (sample: Record<string, unknown>) =>
  fc.dictionary(fc.constantFrom(...Object.keys(sample)), fc.option(fc.jsonValue(), { nil: undefined })).map((changes) => ({ ...sample, ...changes }));

const normalizers = { order: normalizeOrder, fulfillment: normalizeFulfillment, scan: normalizeFulfillmentEvent } as const;

describe("normalization under random input", () => {
  for (const [name, normalize] of Object.entries(normalizers)) {
    it(`${name}: any JSON value gives ok or a reason, never an exception`, () => {
      fc.assert(
        fc.property(fc.jsonValue(), (payload) => {
          const result = normalize(payload);
          expect(typeof result.ok).toBe("boolean");
          if (!result.ok) expect(result.reason).toEqual(expect.any(String));
        }),
        { numRuns: 500 },
      );
    });

    it(`${name}: a real payload with random values in its fields never throws`, () => {
      fc.assert(
        fc.property(mutated(samples[name as keyof typeof samples]), (payload) => {
          expect(() => normalize(payload)).not.toThrow();
        }),
        { numRuns: 500 },
      );
    });
  }

  it("an order that normalizes always gives detections and payloads without throwing", () => {
    fc.assert(
      fc.property(mutated(samples.order), (payload) => {
        const order = normalizeOrder(payload);
        if (!order.ok) return;
        for (const detection of detectOrderEvents("shop.myshopify.com", order.value)) {
          const body = buildEventPayload({
            eventKey: detection.eventKey,
            uniqueId: detection.uniqueKey,
            happenedAt: detection.happenedAt,
            store: { name: "Shop", domain: "shop.myshopify.com" },
            order: order.value,
            lineItemId: detection.lineItemId,
            timeZone: "America/New_York",
          });
          if (body) expect(JSON.parse(JSON.stringify(body)).data.type).toBe("event");
        }
      }),
      { numRuns: 300 },
    );
  });
});
