import type { LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { demoBounce } from "../demo/demo-bounce.server";
import { env } from "../env.server";
import { authenticate } from "../shopify.server";
import { isAllowedExitTarget } from "../shops/admin-url.server";

// Shopify's auth paths (/auth/session-token, /auth/exit-iframe, ...) are handled by the library.
export async function loader({ request, context }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  if (env.demo && url.pathname === "/auth/session-token") return demoBounce(request, context);
  if (url.pathname === "/auth/exit-iframe") {
    const target = url.searchParams.get("exitIframe");
    if (!isAllowedExitTarget(target, url.searchParams.get("shop")))
      return json({ error: "exitIframe may lead only to this app or the shop's admin" }, { status: 400 });
  }
  await authenticate.admin(request);
  return redirect("/app");
}
