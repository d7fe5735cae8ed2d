import { env } from "../env.server";
import type { KlaviyoConnection } from "@prisma/client";
import { KlaviyoApi, type KlaviyoCredential } from "./api-client.server";
import { credentialOf } from "./connection-store.server";
import { KlaviyoOAuthClient } from "./oauth-client.server";

/** Where Klaviyo sends the merchant back after consent. Must match the Klaviyo app's settings. */
export function klaviyoRedirectUri(): string {
  return `${env.appUrl}/klaviyo/callback`;
}

export function klaviyoOAuthConfigured(): boolean {
  return Boolean(env.klaviyoClientId && env.klaviyoClientSecret);
}

export function klaviyoOAuthClient(): KlaviyoOAuthClient {
  if (!env.klaviyoClientId || !env.klaviyoClientSecret) {
    throw new Error("KLAVIYO_CLIENT_ID and KLAVIYO_CLIENT_SECRET are needed to connect Klaviyo with OAuth");
  }
  return new KlaviyoOAuthClient({
    apiUrl: env.klaviyoApiUrl,
    clientId: env.klaviyoClientId,
    clientSecret: env.klaviyoClientSecret,
  });
}

export function klaviyoApi(credential: KlaviyoCredential): KlaviyoApi {
  return new KlaviyoApi({ baseUrl: env.klaviyoApiUrl, revision: env.klaviyoRevision, credential });
}

/** Klaviyo as a shop's stored connection speaks to it. */
export function klaviyoFor(connection: KlaviyoConnection): KlaviyoApi {
  return klaviyoApi(credentialOf(connection));
}

/** Klaviyo's web app, where merchants open flows: the origin of its authorize page (the double's in the demo). */
export function klaviyoWebOrigin(): string {
  return new URL(env.klaviyoAuthorizeUrl).origin;
}
