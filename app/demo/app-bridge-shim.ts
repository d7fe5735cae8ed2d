/**
 * A stand-in for Shopify's App Bridge script, for the demo and browser tests (Shopify's CDN is
 * not reachable offline). Like App Bridge, it puts a fresh session token on every same-origin
 * fetch, taking tokens from `tokenUrl`.
 */
export function appBridgeShimSource(tokenUrl: string): string {
  return `(() => {
  const tokenUrl = ${JSON.stringify(tokenUrl)};
  const originalFetch = window.fetch.bind(window);
  let cached = null;
  async function idToken() {
    if (cached && cached.expiresAt - Date.now() > 10000) return cached.token;
    const response = await originalFetch(tokenUrl, { credentials: "same-origin" });
    if (!response.ok) throw new Error("session token unavailable: " + response.status);
    cached = await response.json();
    return cached.token;
  }
  window.fetch = async (input, init) => {
    const href = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const url = new URL(href, window.location.href);
    if (url.origin !== window.location.origin || url.pathname === tokenUrl) return originalFetch(input, init);
    const headers = new Headers((init && init.headers) || (input instanceof Request ? input.headers : undefined));
    if (!headers.has("Authorization")) headers.set("Authorization", "Bearer " + (await idToken()));
    return originalFetch(input, { ...init, headers });
  };
  window.shopify = { idToken, config: {}, toast: { show: (message) => console.info("[toast]", message) } };
})();
`;
}
