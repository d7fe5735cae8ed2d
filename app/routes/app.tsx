import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Outlet, useLoaderData, useLocation, useNavigation, useRouteError } from "@remix-run/react";
import {
  AppProvider,
  Banner,
  BlockStack,
  Box,
  Card,
  FooterHelp,
  Frame,
  Layout,
  Link,
  Loading,
  SkeletonBodyText,
  SkeletonDisplayText,
  SkeletonPage,
} from "@shopify/polaris";
import english from "@shopify/polaris/locales/en.json";
import { boundary } from "@shopify/shopify-app-remix/server";
import { AppNavigation, helpTopicFor } from "../components/AppNavigation";
import { env } from "../env.server";
import { RemixPolarisLink } from "../components/RemixPolarisLink";
import { klaviyoConnectionView } from "../klaviyo/connection.server";
import { requireAdmin } from "../shops/admin-context.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireAdmin(request);
  const connection = await klaviyoConnectionView(shop.id);
  return json({
    shopName: shop.name,
    needsReconnect: connection.status === "needs_reconnect",
    // The demo runs in a plain browser tab, where no admin draws the app's menu.
    inPageNavigation: env.demo,
  });
}

/** Shown while another admin page loads, in place of the page being left. */
function PageSkeleton() {
  return (
    <SkeletonPage primaryAction>
      <Layout>
        <Layout.Section>
          <Card>
            <BlockStack gap="400">
              <SkeletonDisplayText size="small" />
              <SkeletonBodyText lines={6} />
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </SkeletonPage>
  );
}

export default function AdminLayout() {
  const { needsReconnect, inPageNavigation } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const location = useLocation();
  const changingPage = navigation.state === "loading" && navigation.location.pathname !== location.pathname;
  const help = helpTopicFor(location.pathname);
  return (
    <AppProvider i18n={english} linkComponent={RemixPolarisLink}>
      <Frame>
        {navigation.state === "loading" ? <Loading /> : null}
        <AppNavigation inPage={inPageNavigation} pathname={location.pathname} />
        {needsReconnect ? (
          <Box padding="400">
            <Banner
              tone="critical"
              title="Klaviyo needs to be reconnected"
              action={{ content: "Reconnect Klaviyo", url: "/app/integrations" }}
            >
              <p>Klaviyo stopped accepting Waypost&apos;s access. Events are held, not lost, until you reconnect.</p>
            </Banner>
          </Box>
        ) : null}
        {changingPage ? <PageSkeleton /> : <Outlet />}
        {help ? (
          <FooterHelp>
            Learn more about <Link url={help.url}>{help.topic}</Link> in Waypost&apos;s help.
          </FooterHelp>
        ) : null}
      </Frame>
    </AppProvider>
  );
}

// Shopify's boundary turns auth redirects thrown inside the iframe into App Bridge navigation.
export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
