import { DAY_MS } from "../time";

/** Refresh this long before an access token expires, so no request ever carries a dead token. */
export const REFRESH_MARGIN_MS = 5 * 60_000;

/** Klaviyo drops a refresh token after 90 days unused; refreshing monthly keeps idle shops alive. */
export const KEEP_ALIVE_MS = 30 * DAY_MS;

export function accessTokenExpiry(expiresInSeconds: number, now: Date): Date {
  return new Date(now.getTime() + expiresInSeconds * 1000);
}

export function needsRefresh(
  connection: { accessTokenExpiresAt: Date | null; refreshedAt: Date | null },
  now: Date,
): boolean {
  if (!connection.accessTokenExpiresAt) return false;
  if (connection.accessTokenExpiresAt.getTime() - now.getTime() <= REFRESH_MARGIN_MS) return true;
  return connection.refreshedAt !== null && now.getTime() - connection.refreshedAt.getTime() >= KEEP_ALIVE_MS;
}
