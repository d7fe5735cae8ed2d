import { describe, expect, it } from "vitest";
import { subscribedTopics } from "../../e2e/support/app-config";
import { TOPIC_HANDLERS } from "./receipt-worker.server";

describe("the receipt worker's topic table", () => {
  it("has an entry for every topic shopify.app.toml subscribes to, and for no other", () => {
    expect(Object.keys(TOPIC_HANDLERS).sort()).toEqual(subscribedTopics().sort());
  });
});
