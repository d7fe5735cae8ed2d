import { describe, expect, it } from "vitest";
import { safeAdminPath } from "./admin-url.server";

describe("safeAdminPath", () => {
  it("keeps paths inside the admin app, query included", () => {
    expect(safeAdminPath("/app/integrations?klaviyo=error&reason=denied")).toBe(
      "/app/integrations?klaviyo=error&reason=denied",
    );
    expect(safeAdminPath("/app")).toBe("/app");
  });

  it("sends anything else home, so the sign-in shortcut is no open redirect", () => {
    for (const next of [
      "https://evil.example.com",
      "//evil.example.com/app",
      "/auth/login",
      "/app/../../etc",
      "/app\\evil",
      null,
    ]) {
      expect(safeAdminPath(next)).toBe("/app");
    }
  });
});
