import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Outlet, useRouteError } from "@remix-run/react";
import { AppProvider } from "@shopify/polaris";
import english from "@shopify/polaris/locales/en.json";
import { boundary } from "@shopify/shopify-app-remix/server";
import { AppNavigation } from "../components/AppNavigation";
import { RemixPolarisLink } from "../components/RemixPolarisLink";
import { requireAdmin } from "../shops/admin-context.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireAdmin(request);
  return json({ shopName: shop.name });
}

export default function AdminLayout() {
  return (
    <AppProvider i18n={english} linkComponent={RemixPolarisLink}>
      <AppNavigation />
      <Outlet />
    </AppProvider>
  );
}

// Shopify's boundary turns auth redirects thrown inside the iframe into App Bridge navigation.
export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
