import { describe, expect, it } from "vitest";
import { parseWebhookJson, quoteLongIntegers } from "./webhook-json";

describe("parseWebhookJson", () => {
  it("replaces a lone surrogate escape with U+FFFD instead of carrying broken text on", () => {
    const parsed = parseWebhookJson(
      '{"note":"a\\ud800b","tail":"\\udc00","k\\ud83d":1,"pair":"\\ud83d\\ude00","list":["\\udbff"]}',
    );
    expect(parsed).toEqual({ note: "a\ufffdb", tail: "\ufffd", "k\ufffd": 1, pair: "😀", list: ["\ufffd"] });
    expect(() => encodeURIComponent(JSON.stringify(parsed))).not.toThrow();
  });

  it("keeps the __proto__ key a plain field, never the prototype", () => {
    const parsed = parseWebhookJson('{"__proto__":{"polluted":true},"a\\ud800":1}') as Record<string, unknown>;
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
  });

  it("keeps ids above 2^53 exact by reading them as strings", () => {
    const parsed = parseWebhookJson('{"id": 820982911946154508, "order_id":820982911946154500}') as Record<
      string,
      unknown
    >;
    expect(parsed).toEqual({ id: "820982911946154508", order_id: "820982911946154500" });
  });

  it("leaves ordinary numbers, decimals and negative numbers as numbers", () => {
    expect(parseWebhookJson('{"quantity":3,"price":19.99,"delta":-4,"big_float":1234567890123456.5}')).toEqual({
      quantity: 3,
      price: 19.99,
      delta: -4,
      big_float: 1234567890123456.5,
    });
  });

  it("never touches digits inside strings, including escaped quotes", () => {
    const text = '{"note":"call 12345678901234567, \\"ref\\": 98765432109876543","n":12345678901234567}';
    expect(parseWebhookJson(text)).toEqual({
      note: 'call 12345678901234567, "ref": 98765432109876543',
      n: "12345678901234567",
    });
  });

  it("quotes long integers inside arrays", () => {
    expect(quoteLongIntegers("[1,12345678901234567,2]")).toBe('[1,"12345678901234567",2]');
  });

  it("throws a SyntaxError on malformed JSON, like JSON.parse", () => {
    expect(() => parseWebhookJson('{"id": 1,')).toThrow(SyntaxError);
    expect(() => parseWebhookJson("")).toThrow(SyntaxError);
  });
});
