import { describe, expect, it } from "vitest";
import { KLAVIYO_SCOPES } from "./scopes";

describe("requested permissions", () => {
  it("are exactly the seed's permission table", () => {
    expect(KLAVIYO_SCOPES.sort()).toEqual([
      "accounts:read",
      "campaigns:read",
      "events:read",
      "events:write",
      "flows:read",
      "metrics:read",
      "profiles:read",
      "profiles:write",
      "webhooks:read",
      "webhooks:write",
    ]);
  });
});
