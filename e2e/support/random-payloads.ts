import fc from "fast-check";
import { orderStory } from "../../app/platform/sample-order";

// Realistic webhook bodies with random values in their fields, for property tests.
const story = orderStory({ orderId: 1001 });

export const SAMPLE_BODIES = {
  order: story[0].body as Record<string, unknown>,
  fulfillment: story.find((webhook) => webhook.topic === "fulfillments/create")!.body as Record<string, unknown>,
  scan: story.find((webhook) => webhook.topic === "fulfillment_events/create")!.body as Record<string, unknown>,
};

/** The sample with some of its fields replaced by arbitrary JSON (or removed). */
export const mutated = (sample: Record<string, unknown>) =>
  fc
    .dictionary(fc.constantFrom(...Object.keys(sample)), fc.option(fc.jsonValue(), { nil: undefined }))
    .map((changes) => ({ ...sample, ...changes }));
