import { redirect } from "@remix-run/node";
import { assertDemoRequestAllowed, mintDemoSessionToken, type RequestOrigin } from "./demo-mode.server";

/**
 * Shopify's bounce page fetches a fresh session token through App Bridge and reloads. In the
 * demo there is no admin to ask, so it reloads the page with a token of the demo shop.
 */
export async function demoBounce(request: Request, origin: RequestOrigin | undefined) {
  assertDemoRequestAllowed(request, origin);
  const reload = demoReloadTarget(request.url);
  if (!reload) return redirect("/demo");
  const { token } = await mintDemoSessionToken();
  reload.searchParams.set("id_token", token);
  return redirect(`${reload.pathname}${reload.search}`);
}

/** The page to reload with a fresh token: only one of this app's admin pages (`//host/…` is another site). */
export function demoReloadTarget(requestUrl: string): URL | undefined {
  const url = new URL(requestUrl);
  const reload = new URL(url.searchParams.get("shopify-reload") ?? "/app", url.origin);
  const insideApp = reload.pathname === "/app" || reload.pathname.startsWith("/app/");
  return reload.origin === url.origin && insideApp ? reload : undefined;
}
