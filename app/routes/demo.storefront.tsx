import type { LoaderFunctionArgs } from "@remix-run/node";
import { assertDemoRequestAllowed, DEMO_STORE } from "../demo/demo-mode.server";
import { DEMO_CUSTOMER } from "../demo/doubles/shopify-admin/order-history";
import { storefrontPage } from "../demo/storefront/storefront-page.server";
import { pixelSettingsAtShopify } from "../platform/storefront-pixel.server";

// The demo store's storefront: Waypost's pixel, loaded with the settings the demo's Shopify stand-in
// holds for it, runs in a stand-in of Shopify's sandbox as the shopper browses (?customer=demo: signed in).
export async function loader({ request, context }: LoaderFunctionArgs) {
  assertDemoRequestAllowed(request, context);
  const signedIn = new URL(request.url).searchParams.get("customer") === "demo";
  const html = storefrontPage({
    settings: await pixelSettingsAtShopify(DEMO_STORE.domain),
    shop: { domain: DEMO_STORE.domain, name: DEMO_STORE.name },
    customer: signedIn
      ? {
          id: `gid://shopify/Customer/${DEMO_CUSTOMER.legacyId}`,
          email: DEMO_CUSTOMER.email,
          firstName: "Demo",
          lastName: "Customer",
          ordersCount: 1,
          phone: null,
        }
      : null,
    productNumbers: [1, 2, 3],
  });
  return new Response(html, { headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" } });
}
