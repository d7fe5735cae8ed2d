import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { demoBounce } from "../demo/demo-bounce.server";
import { env } from "../env.server";
import { authenticate } from "../shopify.server";

// Shopify's auth paths (/auth/session-token, /auth/exit-iframe, ...) are handled by the library.
export async function loader({ request, context }: LoaderFunctionArgs) {
  if (env.demo && new URL(request.url).pathname === "/auth/session-token") {
    return demoBounce(request, context);
  }
  await authenticate.admin(request);
  return redirect("/app");
}
