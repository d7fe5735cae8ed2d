import { describe, expect, it } from "vitest";
import { appConfigList, subscriptionUris } from "../../e2e/support/app-config";
import { APP_LIFECYCLE_TOPICS, COMPLIANCE_TOPICS, CUSTOMER_TOPICS, TRACKING_TOPICS } from "./webhook-topics";

// The app's declared subscriptions and the topics its code handles must not drift apart.
describe("shopify.app.toml", () => {
  it("subscribes to exactly the topics Waypost handles", () => {
    expect(appConfigList("topics").sort()).toEqual(
      [...TRACKING_TOPICS, ...APP_LIFECYCLE_TOPICS, ...CUSTOMER_TOPICS].sort(),
    );
  });

  it("subscribes to the three mandatory compliance topics", () => {
    expect(appConfigList("compliance_topics").sort()).toEqual([...COMPLIANCE_TOPICS].sort());
  });

  it("sends every subscription to the one webhook endpoint", () => {
    expect(subscriptionUris()).toEqual(["/webhooks", "/webhooks"]);
  });
});
