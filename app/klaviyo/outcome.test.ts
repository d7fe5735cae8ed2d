import { describe, expect, it } from "vitest";
import { errorDetail, retryAfterMs } from "./outcome";

describe("retryAfterMs", () => {
  const now = Date.parse("2026-11-24T12:00:00Z");

  it("reads seconds", () => {
    expect(retryAfterMs("7", now)).toBe(7000);
    expect(retryAfterMs("0.5", now)).toBe(500);
  });

  it("reads an HTTP date", () => {
    expect(retryAfterMs("Tue, 24 Nov 2026 12:00:30 GMT", now)).toBe(30_000);
    expect(retryAfterMs("Tue, 24 Nov 2026 11:59:00 GMT", now)).toBe(0);
  });

  it("falls back to one second when missing or unreadable", () => {
    expect(retryAfterMs(null, now)).toBe(1000);
    expect(retryAfterMs("soon", now)).toBe(1000);
  });
});

describe("errorDetail", () => {
  it("turns Klaviyo's JSON:API errors into one line, with the field pointer", () => {
    const body = {
      errors: [
        { detail: "Invalid phone number", source: { pointer: "/data/attributes/phone_number" } },
        { title: "Second" },
      ],
    };
    expect(errorDetail(body, "HTTP 400")).toBe("Invalid phone number (at /data/attributes/phone_number); Second");
  });

  it("falls back when the body is not an error document", () => {
    expect(errorDetail("<html>", "HTTP 502")).toBe("HTTP 502");
  });
});
