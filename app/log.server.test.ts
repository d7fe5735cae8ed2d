import { describe, expect, it } from "vitest";
import { errorSummary, logLine, MAX_LOGGED_CHARS, redact } from "./log.server";

describe("log helpers", () => {
  it("keeps only the reason of a Prisma error, not its code frame", () => {
    const prismaError = new Error(
      "\nInvalid `prisma.webhookReceipt.findMany()` invocation in\n/app/node_modules/x.js:27:2556\n\n  24 minified code…\n\nThe table `WebhookReceipt` does not exist in the current database.",
    );
    expect(errorSummary(prismaError)).toBe("The table `WebhookReceipt` does not exist in the current database.");
    expect(errorSummary("plain")).toBe("plain");
    expect(errorSummary(new Error("x".repeat(2000)))).toHaveLength(500);
  });

  it("redacts secrets at any depth", () => {
    expect(redact({ shop: "a", nested: { accessToken: "t", list: [{ api_key: "k" }] } })).toEqual({
      shop: "a",
      nested: { accessToken: "[redacted]", list: [{ api_key: "[redacted]" }] },
    });
  });
});

describe("log lines", () => {
  it("cap every string, whatever its nesting, so no sender can make a line long", () => {
    const huge = "x".repeat(5000);
    const line = logLine("warn", huge, { shop: huge, nested: { topic: huge, list: [huge, huge] }, [huge]: 1 });
    expect(line.length).toBeLessThan(6 * (MAX_LOGGED_CHARS + 20) + 100);
    expect(line).toContain("…(5000 chars)");
  });

  it("never carry a body or a payload", () => {
    const line = logLine("info", "stored", {
      body: '{"email":"ann@example.com"}',
      payload: { email: "ann@example.com" },
    });
    expect(line).not.toContain("ann@example.com");
    expect(JSON.parse(line)).toMatchObject({ body: "[body not logged]", payload: "[body not logged]" });
  });
});
