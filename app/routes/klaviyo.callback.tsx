import type { LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { AppProvider, Banner, Page } from "@shopify/polaris";
import english from "@shopify/polaris/locales/en.json";
import { authorizationFailureMessage } from "../klaviyo/authorization-messages";
import { completeKlaviyoAuthorization } from "../klaviyo/authorization.server";
import { adminPageUrl } from "../shops/admin-url.server";

// Klaviyo sends the merchant here after consent, outside the admin: finish, then go back in.
export async function loader({ request }: LoaderFunctionArgs) {
  const params = new URL(request.url).searchParams;
  const result = await completeKlaviyoAuthorization({
    code: params.get("code"),
    state: params.get("state"),
    error: params.get("error"),
  });
  if (result.ok) return redirect(adminPageUrl(result.shopDomain, "/app/integrations?klaviyo=connected"));
  if (result.shopDomain)
    return redirect(adminPageUrl(result.shopDomain, `/app/integrations?klaviyo=error&reason=${result.reason}`));
  return json({ message: authorizationFailureMessage(result.reason) }, { status: 400 });
}

export default function KlaviyoCallback() {
  const { message } = useLoaderData<typeof loader>();
  return (
    <AppProvider i18n={english}>
      <Page narrowWidth title="Klaviyo connection">
        <Banner tone="critical" title="Klaviyo was not connected">
          <p>{message} Open Waypost from your Shopify admin and choose Connect on the Integrations page.</p>
        </Banner>
      </Page>
    </AppProvider>
  );
}
