import { randomUUID } from "node:crypto";
import { SignJWT } from "jose";

export interface SessionTokenClaims {
  shop: string;
  apiKey: string;
  secret: string;
  userId?: string;
  ttlSeconds?: number;
  now?: Date;
}

/**
 * Signs a session token exactly as Shopify's admin does (HS256 with the app secret). Used by
 * the demo's sign-in shortcut and by tests; production tokens always come from Shopify.
 */
export async function mintSessionToken({
  shop,
  apiKey,
  secret,
  userId = "1",
  ttlSeconds = 60,
  now = new Date(),
}: SessionTokenClaims) {
  const issuedAt = Math.floor(now.getTime() / 1000);
  const expiresAt = issuedAt + ttlSeconds;
  const token = await new SignJWT({
    iss: `https://${shop}/admin`,
    dest: `https://${shop}`,
    aud: apiKey,
    sub: userId,
    exp: expiresAt,
    nbf: issuedAt - 5,
    iat: issuedAt - 5,
    jti: randomUUID(),
    sid: `sid-${userId}`,
  })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .sign(new TextEncoder().encode(secret));
  return { token, expiresAt: expiresAt * 1000 };
}

/** The admin's `host` parameter: base64 of the admin URL for the store. */
export function adminHostParam(shop: string): string {
  return Buffer.from(`admin.shopify.com/store/${shop.replace(/\.myshopify\.(com|io)$/, "")}`).toString("base64");
}

/** The URL Shopify's admin opens an embedded page with, token included. */
export function embeddedUrl(path: string, shop: string, token: string): string {
  const params = new URLSearchParams({ embedded: "1", shop, host: adminHostParam(shop), id_token: token });
  return `${path}${path.includes("?") ? "&" : "?"}${params}`;
}
