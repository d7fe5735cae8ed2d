import { describe, expect, it } from "vitest";
import { errorSummary, redact } from "./log.server";

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
