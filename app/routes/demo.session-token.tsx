import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { assertDemoRequestAllowed, mintDemoSessionToken } from "../demo/demo-mode.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  assertDemoRequestAllowed(request, context);
  return json(await mintDemoSessionToken(), { headers: { "Cache-Control": "no-store" } });
}
