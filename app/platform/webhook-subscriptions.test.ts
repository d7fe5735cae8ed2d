import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { APP_LIFECYCLE_TOPICS, COMPLIANCE_TOPICS, TRACKING_TOPICS } from "./webhook-topics";

// The app's declared subscriptions and the topics its code handles must not drift apart.
const toml = readFileSync("shopify.app.toml", "utf8");
const listIn = (key: string) =>
  [...toml.matchAll(new RegExp(`^${key} = \\[([^\\]]*)\\]`, "gm"))].flatMap((match) =>
    [...match[1].matchAll(/"([^"]+)"/g)].map((topic) => topic[1]),
  );

describe("shopify.app.toml", () => {
  it("subscribes to exactly the topics Waypost handles", () => {
    expect(listIn("topics").sort()).toEqual([...TRACKING_TOPICS, ...APP_LIFECYCLE_TOPICS].sort());
  });

  it("subscribes to the three mandatory compliance topics", () => {
    expect(listIn("compliance_topics").sort()).toEqual([...COMPLIANCE_TOPICS].sort());
  });

  it("sends every subscription to the one webhook endpoint", () => {
    expect([...toml.matchAll(/^uri = "([^"]+)"/gm)].map((match) => match[1])).toEqual(["/webhooks", "/webhooks"]);
  });
});
