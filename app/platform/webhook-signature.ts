import { createHmac, timingSafeEqual } from "node:crypto";

/** Shopify signs the raw request body: base64 HMAC-SHA256 keyed with the app's secret. */
export function signWebhookBody(rawBody: Buffer | string, secret: string): string {
  return createHmac("sha256", secret).update(rawBody).digest("base64");
}

export function isAuthenticWebhook(rawBody: Buffer | string, signatureHeader: string | null, secret: string): boolean {
  if (!signatureHeader) return false;
  const expected = Buffer.from(signWebhookBody(rawBody, secret), "base64");
  const header = signatureHeader.trim();
  const given = Buffer.from(header, "base64");
  // Node's base64 decoder skips junk and stops at padding; only the canonical encoding counts.
  if (given.toString("base64") !== header) return false;
  // timingSafeEqual needs equal lengths; a length mismatch is itself a failed comparison.
  return given.length === expected.length && timingSafeEqual(given, expected);
}
