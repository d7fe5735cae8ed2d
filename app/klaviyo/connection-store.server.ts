import type { KlaviyoConnection } from "@prisma/client";
import { prisma } from "../db.server";
import { env } from "../env.server";
import type { KlaviyoAccount, KlaviyoCredential } from "./api-client.server";
import type { TokenSet } from "./oauth-client.server";
import { openSecret, sealSecret } from "../sealed-secret";
import { accessTokenExpiry } from "./token-timing";

// Tokens are sealed for their shop: a row moved to another shop cannot be opened.
const seal = (shopId: string, secret: string) => sealSecret(secret, env.encryptionKey, `klaviyo:${shopId}`);
const open = (shopId: string, sealed: string) => openSecret(sealed, env.encryptionKey, `klaviyo:${shopId}`);

export async function saveOAuthConnection(shopId: string, account: KlaviyoAccount, tokens: TokenSet, now = new Date()) {
  const data = {
    method: "oauth",
    accountId: account.id,
    accountName: account.name,
    sealedAccessToken: seal(shopId, tokens.accessToken),
    sealedRefreshToken: seal(shopId, tokens.refreshToken),
    accessTokenExpiresAt: accessTokenExpiry(tokens.expiresIn, now),
    refreshedAt: now,
    scopes: tokens.scope,
    status: "connected",
    statusReason: null,
    connectedAt: now,
  };
  return prisma.klaviyoConnection.upsert({ where: { shopId }, create: { shopId, ...data }, update: data });
}

export async function savePrivateKeyConnection(
  shopId: string,
  account: KlaviyoAccount,
  apiKey: string,
  now = new Date(),
) {
  const data = {
    method: "private_key",
    accountId: account.id,
    accountName: account.name,
    sealedAccessToken: seal(shopId, apiKey),
    sealedRefreshToken: null,
    accessTokenExpiresAt: null,
    refreshedAt: null,
    scopes: "",
    status: "connected",
    statusReason: null,
    connectedAt: now,
  };
  return prisma.klaviyoConnection.upsert({ where: { shopId }, create: { shopId, ...data }, update: data });
}

export async function saveRefreshedTokens(connection: KlaviyoConnection, tokens: TokenSet, now = new Date()) {
  return prisma.klaviyoConnection.update({
    where: { id: connection.id },
    data: {
      sealedAccessToken: seal(connection.shopId, tokens.accessToken),
      // Klaviyo may rotate refresh tokens: always keep the newest one.
      sealedRefreshToken: seal(
        connection.shopId,
        tokens.refreshToken ?? open(connection.shopId, connection.sealedRefreshToken!),
      ),
      accessTokenExpiresAt: accessTokenExpiry(tokens.expiresIn, now),
      refreshedAt: now,
      status: "connected",
      statusReason: null,
    },
  });
}

/** The shop's Klaviyo connection, whatever its state; null when there is none. */
export function klaviyoConnectionOf(shopId: string) {
  return prisma.klaviyoConnection.findUnique({ where: { shopId } });
}

export async function markNeedsReconnect(connectionId: string, reason: string) {
  return prisma.klaviyoConnection.update({
    where: { id: connectionId },
    data: { status: "needs_reconnect", statusReason: reason },
  });
}

export function credentialOf(connection: KlaviyoConnection): KlaviyoCredential {
  const secret = open(connection.shopId, connection.sealedAccessToken);
  return connection.method === "oauth"
    ? { method: "oauth", accessToken: secret }
    : { method: "private_key", apiKey: secret };
}

export function refreshTokenOf(connection: KlaviyoConnection): string | undefined {
  return connection.sealedRefreshToken ? open(connection.shopId, connection.sealedRefreshToken) : undefined;
}
