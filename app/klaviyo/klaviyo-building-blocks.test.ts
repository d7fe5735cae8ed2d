import { createHash, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createOAuthState, createPkcePair, hashOAuthState, pkceChallenge } from "./pkce";
import { openSecret, sealSecret } from "./sealed-secret";
import { KLAVIYO_SCOPES } from "./scopes";
import { accessTokenExpiry, needsRefresh, REFRESH_MARGIN_MS } from "./token-timing";

describe("PKCE", () => {
  it("makes a verifier Klaviyo accepts: 43+ characters of the unreserved set", () => {
    const { verifier } = createPkcePair();
    expect(verifier).toMatch(/^[a-zA-Z0-9\-._~]{43,128}$/);
  });

  it("derives the S256 challenge as RFC 7636 does (its appendix B example)", () => {
    expect(pkceChallenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")).toBe("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
  });

  it("never repeats a verifier or a state", () => {
    const verifiers = new Set(Array.from({ length: 200 }, () => createPkcePair().verifier));
    const states = new Set(Array.from({ length: 200 }, () => createOAuthState().state));
    expect(verifiers.size).toBe(200);
    expect(states.size).toBe(200);
  });

  it("keeps only a hash of the state, which the state reproduces", () => {
    const { state, stateHash } = createOAuthState();
    expect(stateHash).not.toContain(state);
    expect(hashOAuthState(state)).toBe(stateHash);
    expect(stateHash).toBe(createHash("sha256").update(state).digest("hex"));
  });
});

describe("sealed secrets", () => {
  const key = randomBytes(32);

  it("round-trips a token and never stores it in the clear", () => {
    const sealed = sealSecret("kl-access-token-123", key, "shop-a");
    expect(sealed).not.toContain("kl-access-token-123");
    expect(openSecret(sealed, key, "shop-a")).toBe("kl-access-token-123");
  });

  it("seals the same token differently every time", () => {
    expect(sealSecret("same", key, "shop-a")).not.toBe(sealSecret("same", key, "shop-a"));
  });

  it("will not open under another shop, another key, or after tampering", () => {
    const sealed = sealSecret("kl-access-token-123", key, "shop-a");
    expect(() => openSecret(sealed, key, "shop-b")).toThrow();
    expect(() => openSecret(sealed, randomBytes(32), "shop-a")).toThrow();
    const [version, iv, tag, ciphertext] = sealed.split(".");
    const flipped = Buffer.from(ciphertext, "base64url");
    flipped[0] ^= 1;
    expect(() => openSecret([version, iv, tag, flipped.toString("base64url")].join("."), key, "shop-a")).toThrow();
    expect(() => openSecret("plain-token", key, "shop-a")).toThrow("not a sealed secret");
  });
});

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
    expect(needsRefresh({ accessTokenExpiresAt: new Date(now.getTime() + 3_000_000), refreshedAt: fiveWeeksAgo }, now)).toBe(true);
  });

  it("never refreshes a private key connection, which has no expiry", () => {
    expect(needsRefresh({ accessTokenExpiresAt: null, refreshedAt: null }, now)).toBe(false);
  });
});

describe("requested permissions", () => {
  it("are exactly the seed's permission table", () => {
    expect(KLAVIYO_SCOPES.sort()).toEqual(
      ["accounts:read", "campaigns:read", "events:read", "events:write", "flows:read", "metrics:read", "profiles:read", "profiles:write"],
    );
  });
});
