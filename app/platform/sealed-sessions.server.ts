import { Session } from "@shopify/shopify-app-remix/server";
import { prisma } from "../db.server";
import { env } from "../env.server";
import { log } from "../log.server";
import { openSecret, sealSecret } from "../sealed-secret";

// Shopify's access and refresh tokens are stored sealed with ENCRYPTION_KEY, as Klaviyo's are,
// each bound to its session's id: the database alone (a backup, a copied file) opens no store.

const SEALED = /^v1\./;
const context = (sessionId: string) => `shopify-session:${sessionId}`;

/** The token as stored: sealed. */
export function sealedForStorage(sessionId: string, token: string): string {
  return SEALED.test(token) ? token : sealSecret(token, env.encryptionKey, context(sessionId));
}

/** A stored token as Shopify takes it; a row written before tokens were sealed is read as it is. */
export function openStoredToken(sessionId: string, stored: string): string {
  return SEALED.test(stored) ? openSecret(stored, env.encryptionKey, context(sessionId)) : stored;
}

/** The part of a session storage Shopify's library calls (PrismaSessionStorage's methods). */
interface SessionStore {
  storeSession(session: Session): Promise<boolean>;
  loadSession(id: string): Promise<Session | undefined>;
  deleteSession(id: string): Promise<boolean>;
  deleteSessions(ids: string[]): Promise<boolean>;
  findSessionsByShop(shop: string): Promise<Session[]>;
}

/** Wraps a session storage so that what it writes holds sealed tokens and what it reads gives them back open. */
export class SealedSessionStorage implements SessionStore {
  constructor(private readonly inner: SessionStore) {}

  storeSession(session: Session) {
    return this.inner.storeSession(withTokens(session, (token) => sealedForStorage(session.id, token)));
  }

  async loadSession(id: string) {
    const stored = await this.inner.loadSession(id);
    return stored && withTokens(stored, (token) => openStoredToken(stored.id, token));
  }

  deleteSession(id: string) {
    return this.inner.deleteSession(id);
  }

  deleteSessions(ids: string[]) {
    return this.inner.deleteSessions(ids);
  }

  async findSessionsByShop(shop: string) {
    const stored = await this.inner.findSessionsByShop(shop);
    return stored.map((session) => withTokens(session, (token) => openStoredToken(session.id, token)));
  }
}

function withTokens(session: Session, change: (token: string) => string): Session {
  const params = session.toObject();
  return new Session({
    ...params,
    ...(params.accessToken ? { accessToken: change(params.accessToken) } : {}),
    ...(params.refreshToken ? { refreshToken: change(params.refreshToken) } : {}),
  });
}

/** Seals the tokens of sessions stored before Waypost sealed them; run at start-up, safe to run again. */
export async function sealPlainSessions(): Promise<number> {
  const rows = await prisma.session.findMany({ select: { id: true, accessToken: true, refreshToken: true } });
  let sealed = 0;
  for (const row of rows) {
    const plainAccess = row.accessToken && !SEALED.test(row.accessToken);
    const plainRefresh = row.refreshToken && !SEALED.test(row.refreshToken);
    if (!plainAccess && !plainRefresh) continue;
    await prisma.session.update({
      where: { id: row.id },
      data: {
        accessToken: sealedForStorage(row.id, row.accessToken),
        refreshToken: row.refreshToken ? sealedForStorage(row.id, row.refreshToken) : row.refreshToken,
      },
    });
    sealed++;
  }
  if (sealed) log.info("sealed stored Shopify tokens", { sessions: sealed });
  return sealed;
}
