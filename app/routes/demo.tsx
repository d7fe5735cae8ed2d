import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { assertDemoRequestAllowed, DEMO_SHOP, mintDemoSessionToken } from "../demo/demo-mode.server";
import { embeddedUrl } from "../demo/session-token.server";
import { safeAdminPath } from "../shops/admin-url.server";

// The demo's sign-in shortcut: opens the demo store's admin as Shopify's admin would.
export async function loader({ request, context }: LoaderFunctionArgs) {
  assertDemoRequestAllowed(request, context);
  const { token } = await mintDemoSessionToken();
  const next = safeAdminPath(new URL(request.url).searchParams.get("next"));
  return redirect(embeddedUrl(next, DEMO_SHOP, token));
}
