import { describe, expect, it } from "vitest";
import { pixelBatch, standardEvent } from "../../e2e/support/pixel-batch";
import { readPixelBatch } from "./pixel-batch";
import { isAllowedPixelOrigin } from "./pixel-cors";

const SHOP = "unit-shop.myshopify.com";
const batchOf = (...names: Array<Parameters<typeof standardEvent>[0]>) =>
  pixelBatch({ shop: SHOP, pixelKey: "wpx_k", events: names.map((name) => standardEvent(name, SHOP)) });

describe("the pixel batch contract", () => {
  it("accepts each of Shopify's standard-event samples as the pixel sends them", () => {
    const batch = batchOf(
      "page_viewed",
      "product_viewed",
      "collection_viewed",
      "search_submitted",
      "product_added_to_cart",
      "checkout_started",
    );
    const reading = readPixelBatch(JSON.stringify(batch));
    expect(reading).toEqual({ ok: true, batch });
  });

  it("refuses an event without the data its name documents", () => {
    const batch = batchOf("product_viewed");
    batch.events[0].data = {};
    expect(readPixelBatch(JSON.stringify(batch))).toEqual({
      ok: false,
      detail: "/events/0/data must have required property 'productVariant'",
    });
  });

  it("refuses a timestamp that is not ISO 8601 and a batch of another version", () => {
    const late = batchOf("page_viewed");
    late.events[0].timestamp = "yesterday";
    expect(readPixelBatch(JSON.stringify(late))).toMatchObject({
      ok: false,
      detail: expect.stringMatching(/^\/events\/0\/timestamp must match format "date-time"/),
    });
    expect(readPixelBatch(JSON.stringify({ ...batchOf("page_viewed"), v: 2 }))).toMatchObject({
      ok: false,
      detail: "/v must be equal to constant",
    });
  });

  it("drops what the contract does not name, at every level", () => {
    const batch = batchOf("product_added_to_cart") as unknown as Record<string, unknown> & {
      events: Array<Record<string, unknown>>;
    };
    batch.extra = 1;
    batch.events[0].seq = 4;
    (batch.events[0].data as Record<string, unknown>).cart = { id: "x" };
    const reading = readPixelBatch(JSON.stringify(batch));
    expect(reading.ok).toBe(true);
    expect(JSON.stringify(reading)).not.toMatch(/extra|seq|"cart"/);
  });
});

describe("the pixel's allowed origins", () => {
  it("allows https storefronts, Shopify's sandbox (null) and loopback; refuses plain http elsewhere and junk", () => {
    expect(isAllowedPixelOrigin("https://shop.example.com")).toBe(true);
    expect(isAllowedPixelOrigin("null")).toBe(true);
    expect(isAllowedPixelOrigin("http://localhost:3000")).toBe(true);
    expect(isAllowedPixelOrigin("http://shop.example.com")).toBe(false);
    expect(isAllowedPixelOrigin("https://shop.example.com/path")).toBe(false);
    expect(isAllowedPixelOrigin("javascript:alert(1)")).toBe(false);
  });
});
