import type { LoaderFunctionArgs } from "@remix-run/node";
import { appBridgeShimSource } from "../demo/app-bridge-shim";
import { assertDemoRequestAllowed } from "../demo/demo-mode.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  assertDemoRequestAllowed(request, context);
  return new Response(appBridgeShimSource("/demo/session-token"), {
    headers: { "Content-Type": "text/javascript; charset=utf-8", "Cache-Control": "no-store" },
  });
}
