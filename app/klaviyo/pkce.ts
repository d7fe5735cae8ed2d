import { createHash, randomBytes } from "node:crypto";

/** An OAuth PKCE pair (RFC 7636, S256): the verifier stays with us, the challenge goes to Klaviyo. */
export function createPkcePair() {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: pkceChallenge(verifier) };
}

export function pkceChallenge(verifier: string): string {
  return createHash("sha256").update(verifier).digest("base64url");
}

/** A single-use, unguessable OAuth state value, and the hash we keep instead of the value. */
export function createOAuthState() {
  const state = randomBytes(32).toString("base64url");
  return { state, stateHash: hashOAuthState(state) };
}

export function hashOAuthState(state: string): string {
  return createHash("sha256").update(state).digest("hex");
}
