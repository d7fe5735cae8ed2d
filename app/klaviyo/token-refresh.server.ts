import type { KlaviyoConnection } from "@prisma/client";
import { prisma } from "../db.server";
import { log } from "../log.server";
import { markNeedsReconnect, refreshTokenOf, saveRefreshedTokens } from "./connection-store.server";
import { klaviyoOAuthClient } from "./klaviyo-config.server";
import { KEEP_ALIVE_MS, needsRefresh, REFRESH_MARGIN_MS } from "./token-timing";

// One refresh per connection at a time in this process: concurrent refreshes can fail at Klaviyo.
const inFlight = new Map<string, Promise<RefreshResult>>();

export type RefreshResult = "refreshed" | "needs_reconnect" | "failed";

export function refreshConnection(connection: KlaviyoConnection, now = new Date()): Promise<RefreshResult> {
  const running = inFlight.get(connection.id);
  if (running) return running;
  const refresh = doRefresh(connection, now).finally(() => inFlight.delete(connection.id));
  inFlight.set(connection.id, refresh);
  return refresh;
}

async function doRefresh(connection: KlaviyoConnection, now: Date): Promise<RefreshResult> {
  const refreshToken = refreshTokenOf(connection);
  if (!refreshToken) return "failed";
  const outcome = await klaviyoOAuthClient().refresh(refreshToken);
  if (outcome.ok) {
    await saveRefreshedTokens(connection, outcome.tokens, now);
    return "refreshed";
  }
  if (outcome.error === "invalid_grant") {
    // Revoked, expired after 90 idle days, or uninstalled in Klaviyo: only the merchant can fix it.
    await markNeedsReconnect(
      connection.id,
      "Klaviyo no longer accepts Waypost's access. Reconnect Klaviyo to resume sending events.",
    );
    log.warn("klaviyo refresh refused; connection needs reconnect", { shopId: connection.shopId });
    return "needs_reconnect";
  }
  log.warn("klaviyo refresh failed; will retry", { shopId: connection.shopId, error: outcome.error });
  return "failed";
}

/**
 * The connection to send with, refreshed first if its OAuth token is about to expire; null while
 * it needs a reconnect.
 */
export async function usableConnection(connection: KlaviyoConnection, now: Date): Promise<KlaviyoConnection | null> {
  if (connection.method !== "oauth" || !needsRefresh(connection, now)) return connection;
  await refreshConnection(connection, now);
  const refreshed = await prisma.klaviyoConnection.findUniqueOrThrow({ where: { id: connection.id } });
  return refreshed.status === "connected" ? refreshed : null;
}

/** The scheduler's pass: refresh every OAuth connection about to expire or idle for a month. */
export async function refreshDueConnections(now = new Date()) {
  const due = await prisma.klaviyoConnection.findMany({
    where: {
      method: "oauth",
      status: "connected",
      OR: [
        { accessTokenExpiresAt: { lte: new Date(now.getTime() + REFRESH_MARGIN_MS) } },
        { refreshedAt: { lte: new Date(now.getTime() - KEEP_ALIVE_MS) } },
      ],
    },
  });
  const results = await Promise.all(
    due.filter((connection) => needsRefresh(connection, now)).map((c) => refreshConnection(c, now)),
  );
  return results;
}
