import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createOAuthState, createPkcePair, hashOAuthState, pkceChallenge } from "./pkce";

describe("PKCE", () => {
  it("makes a verifier Klaviyo accepts: 43+ characters of the unreserved set", () => {
    const { verifier } = createPkcePair();
    expect(verifier).toMatch(/^[a-zA-Z0-9\-._~]{43,128}$/);
  });

  it("derives the S256 challenge as RFC 7636 does (its appendix B example)", () => {
    expect(pkceChallenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")).toBe(
      "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
    );
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
