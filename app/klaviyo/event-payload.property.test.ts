import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { mutated, SAMPLE_BODIES } from "../../e2e/support/random-payloads";
import { detectOrderEvents } from "../tracking/detect";
import { normalizeOrder } from "../tracking/normalize";
import { buildEventPayload } from "./event-payload";

describe("payloads under random input", () => {
  it("an order that normalizes always gives detections and payloads without throwing", () => {
    fc.assert(
      fc.property(mutated(SAMPLE_BODIES.order), (payload) => {
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
