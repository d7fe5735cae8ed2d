import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { mutated, SAMPLE_BODIES as samples } from "../../e2e/support/random-payloads";
import { normalizeFulfillment, normalizeFulfillmentEvent, normalizeOrder } from "./normalize";

// Whatever a webhook carries, normalization answers ok or a reason; it never throws. These
// throw random JSON and realistic payloads with random values in every field at it.

const normalizers = {
  order: normalizeOrder,
  fulfillment: normalizeFulfillment,
  scan: normalizeFulfillmentEvent,
} as const;

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
});
