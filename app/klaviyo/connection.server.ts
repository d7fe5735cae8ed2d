import type { Prisma } from "@prisma/client";
import { prisma } from "../db.server";
import { log } from "../log.server";
import { refreshTokenOf, savePrivateKeyConnection } from "./connection-store.server";
import type { KlaviyoConnectionView } from "./connection-view";
import { klaviyoApi, klaviyoOAuthClient, klaviyoOAuthConfigured } from "./klaviyo-config.server";

/** What the merchant sees of the shop's Klaviyo connection (never a token). */
export async function klaviyoConnectionView(shopId: string): Promise<KlaviyoConnectionView> {
  const oauthAvailable = klaviyoOAuthConfigured();
  const connection = await prisma.klaviyoConnection.findUnique({ where: { shopId } });
  if (!connection) return { status: "not_connected", oauthAvailable };
  return {
    status: connection.status === "needs_reconnect" ? "needs_reconnect" : "connected",
    oauthAvailable,
    method: connection.method === "oauth" ? "oauth" : "private_key",
    accountId: connection.accountId,
    accountName: connection.accountName,
    connectedAt: connection.connectedAt.toISOString(),
    reason: connection.statusReason,
  };
}

const PRIVATE_KEY = /^pk_[A-Za-z0-9_]{20,}$/;

/** The storefront seed's model: a private API key, checked against Klaviyo before it is kept. */
export async function connectWithPrivateKey(shopId: string, rawKey: string) {
  const apiKey = rawKey.trim();
  if (!PRIVATE_KEY.test(apiKey)) {
    return {
      ok: false as const,
      message:
        "That is not a Klaviyo private API key. It starts with pk_ and is found in Klaviyo under Settings > API keys.",
    };
  }
  const account = await klaviyoApi({ method: "private_key", apiKey }).getAccountWaitingBriefly();
  if (!account.ok) {
    const message =
      account.kind === "unauthorized" || account.kind === "forbidden"
        ? "Klaviyo did not accept this private API key. Check that it is current and has read access to Accounts."
        : `Klaviyo could not be reached to check the key (${account.detail}). Please try again.`;
    return { ok: false as const, message };
  }
  await savePrivateKeyConnection(shopId, account.data, apiKey);
  log.info("klaviyo connected", { shopId, account: account.data.id, method: "private_key" });
  return { ok: true as const, accountName: account.data.name };
}

/**
 * Forgets the shop's connection at once, so nothing more can be sent, together with `alsoStop`
 * (what the later stages stop with it, in the same transaction); then revokes an OAuth grant at
 * Klaviyo. A failed revoke is logged but never keeps the merchant connected.
 */
export async function forgetKlaviyoConnection(
  shopId: string,
  { alsoStop = [] }: { alsoStop?: Prisma.PrismaPromise<unknown>[] } = {},
) {
  const connection = await prisma.klaviyoConnection.findUnique({ where: { shopId } });
  if (!connection) return { disconnected: false, revoked: false };
  await prisma.$transaction([prisma.klaviyoConnection.delete({ where: { id: connection.id } }), ...alsoStop]);

  let revoked = false;
  const refreshToken = connection.method === "oauth" ? refreshTokenOf(connection) : undefined;
  if (refreshToken && klaviyoOAuthConfigured()) {
    const result = await klaviyoOAuthClient().revoke(refreshToken);
    revoked = result.ok;
    if (!result.ok) log.warn("klaviyo revoke failed", { shopId, detail: result.detail });
  }
  log.info("klaviyo disconnected", { shopId, account: connection.accountId, revoked });
  return { disconnected: true, revoked };
}
