import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { assertDemoRequestAllowed, DEMO_SHOP, mintDemoSessionToken } from "../demo/demo-mode.server";
import { embeddedUrl } from "../demo/session-token.server";

// The demo's sign-in shortcut: opens the demo store's admin as Shopify's admin would.
export async function loader({ context }: LoaderFunctionArgs) {
  assertDemoRequestAllowed(context);
  const { token } = await mintDemoSessionToken();
  return redirect(embeddedUrl("/app", DEMO_SHOP, token));
}
