import type { LoaderFunctionArgs } from "@remix-run/node";
import { assertDemoRequestAllowed } from "../demo/demo-mode.server";
import { isStorefrontAsset, storefrontAsset } from "../demo/storefront/assets.server";

// The demo storefront's scripts: its own, the sandbox's worker and Waypost's pixel, as built.
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  assertDemoRequestAllowed(request, context);
  const name = params.asset ?? "";
  if (!isStorefrontAsset(name)) return new Response("Not found", { status: 404 });
  return new Response(await storefrontAsset(name), {
    headers: { "Content-Type": "text/javascript; charset=utf-8", "Cache-Control": "no-store" },
  });
}
