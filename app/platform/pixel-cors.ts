// Which browser origins may post to the pixel's ingest. Pure.
//
// A storefront may be served from any domain the merchant connects, and Shopify runs an app's
// pixel in a sandboxed worker whose requests can carry the opaque origin "null", so any https
// origin (and "null") is allowed; plain http only from loopback, for local development. CORS
// only decides who may read the answer: what protects a shop is the batch's pixel key, the shop
// binding and the limits, checked on every request whatever its origin.

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

export function isAllowedPixelOrigin(origin: string): boolean {
  if (origin === "null") return true;
  try {
    const url = new URL(origin);
    if (url.origin !== origin) return false;
    return url.protocol === "https:" || (url.protocol === "http:" && LOOPBACK.has(url.hostname));
  } catch {
    return false;
  }
}

/** The CORS headers an answer to this origin carries: none for a request with no allowed origin. */
export function pixelCorsHeaders(origin: string | null): Record<string, string> {
  if (!origin || !isAllowedPixelOrigin(origin)) return { Vary: "Origin" };
  return {
    "Access-Control-Allow-Origin": origin,
    "Access-Control-Allow-Methods": "POST, OPTIONS",
    "Access-Control-Allow-Headers": "content-type",
    "Access-Control-Expose-Headers": "Retry-After",
    "Access-Control-Max-Age": "86400",
    Vary: "Origin",
  };
}
