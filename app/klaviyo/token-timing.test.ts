import { describe, expect, it } from "vitest";
import { accessTokenExpiry, needsRefresh, REFRESH_MARGIN_MS } from "./token-timing";

describe("token refresh timing", () => {
  const now = new Date("2026-11-24T12:00:00Z");

  it("computes expiry from Klaviyo's expires_in", () => {
    expect(accessTokenExpiry(3600, now).toISOString()).toBe("2026-11-24T13:00:00.000Z");
  });

  it("refreshes a token expiring within the margin, and not one with time to spare", () => {
    const at = (ms: number) => new Date(now.getTime() + ms);
    expect(needsRefresh({ accessTokenExpiresAt: at(REFRESH_MARGIN_MS - 1000), refreshedAt: now }, now)).toBe(true);
    expect(needsRefresh({ accessTokenExpiresAt: at(-1000), refreshedAt: now }, now)).toBe(true);
    expect(needsRefresh({ accessTokenExpiresAt: at(REFRESH_MARGIN_MS + 60_000), refreshedAt: now }, now)).toBe(false);
  });

  it("refreshes an idle connection monthly so Klaviyo's 90-day limit never bites", () => {
    const fiveWeeksAgo = new Date(now.getTime() - 35 * 24 * 60 * 60_000);
    expect(
      needsRefresh({ accessTokenExpiresAt: new Date(now.getTime() + 3_000_000), refreshedAt: fiveWeeksAgo }, now),
    ).toBe(true);
  });

  it("never refreshes a private key connection, which has no expiry", () => {
    expect(needsRefresh({ accessTokenExpiresAt: null, refreshedAt: null }, now)).toBe(false);
  });
});
