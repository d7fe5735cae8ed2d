import { prisma } from "../db.server";
import { env } from "../env.server";
import { log } from "../log.server";
import type { AuthorizationFailure } from "./authorization-messages";
import { saveOAuthConnection } from "./connection-store.server";
import { klaviyoApi, klaviyoOAuthClient, klaviyoOAuthConfigured, klaviyoRedirectUri } from "./klaviyo-config.server";
import { createOAuthState, createPkcePair, hashOAuthState } from "./pkce";
import { openSecret, sealSecret } from "../sealed-secret";
import { KLAVIYO_SCOPES } from "./scopes";

export const AUTHORIZATION_LIFETIME_MS = 10 * 60_000;

const verifierContext = (shopId: string) => `klaviyo-pkce:${shopId}`;

/** Starts Klaviyo's OAuth consent for a shop; returns the URL to send the merchant to. */
export async function beginKlaviyoAuthorization(shopId: string, now = new Date()) {
  if (!klaviyoOAuthConfigured()) return { ok: false as const, reason: "not_configured" as AuthorizationFailure };
  const { state, stateHash } = createOAuthState();
  const { verifier, challenge } = createPkcePair();
  await prisma.klaviyoAuthorization.deleteMany({ where: { expiresAt: { lt: now } } });
  await prisma.klaviyoAuthorization.create({
    data: {
      stateHash,
      shopId,
      sealedCodeVerifier: sealSecret(verifier, env.encryptionKey, verifierContext(shopId)),
      expiresAt: new Date(now.getTime() + AUTHORIZATION_LIFETIME_MS),
    },
  });
  const url = new URL(env.klaviyoAuthorizeUrl);
  url.search = new URLSearchParams({
    response_type: "code",
    client_id: env.klaviyoClientId!,
    redirect_uri: klaviyoRedirectUri(),
    scope: KLAVIYO_SCOPES.join(" "),
    state,
    code_challenge_method: "S256",
    code_challenge: challenge,
  }).toString();
  return { ok: true as const, authorizeUrl: url.toString() };
}

export interface CallbackParams {
  code?: string | null;
  state?: string | null;
  error?: string | null;
}

export type AuthorizationResult =
  | { ok: true; shopDomain: string; accountName: string }
  | { ok: false; shopDomain?: string; reason: AuthorizationFailure };

/**
 * Klaviyo's redirect back to us. The state names the shop (there is no session on this
 * top-level request), is used once, and expires; nothing is stored unless every step succeeds.
 */
export async function completeKlaviyoAuthorization(
  params: CallbackParams,
  now = new Date(),
): Promise<AuthorizationResult> {
  if (!params.state) return { ok: false, reason: "invalid_state" };
  const pending = await prisma.klaviyoAuthorization.findUnique({
    where: { stateHash: hashOAuthState(params.state) },
    include: { shop: { select: { domain: true } } },
  });
  // Deleting first makes the state single-use even when two callbacks race.
  const claimed = pending ? await prisma.klaviyoAuthorization.deleteMany({ where: { id: pending.id } }) : { count: 0 };
  if (!pending || claimed.count === 0) return { ok: false, reason: "invalid_state" };

  const shopDomain = pending.shop.domain;
  const fail = (reason: AuthorizationFailure, detail?: string) => {
    log.warn("klaviyo authorization failed", { shop: shopDomain, reason, detail });
    return { ok: false as const, shopDomain, reason };
  };
  if (pending.expiresAt < now) return fail("expired_state");
  if (params.error) return fail("denied", params.error);
  if (!params.code) return fail("token_exchange_failed", "no code in callback");

  const verifier = openSecret(pending.sealedCodeVerifier, env.encryptionKey, verifierContext(pending.shopId));
  const exchanged = await klaviyoOAuthClient().exchangeCode(params.code, verifier, klaviyoRedirectUri());
  if (!exchanged.ok) return fail("token_exchange_failed", `${exchanged.error}: ${exchanged.description}`);

  const account = await klaviyoApi({
    method: "oauth",
    accessToken: exchanged.tokens.accessToken,
  }).getAccountWaitingBriefly();
  if (!account.ok) return fail("account_check_failed", account.detail);

  await saveOAuthConnection(pending.shopId, account.data, exchanged.tokens, now);
  log.info("klaviyo connected", { shop: shopDomain, account: account.data.id, method: "oauth" });
  return { ok: true, shopDomain, accountName: account.data.name };
}
