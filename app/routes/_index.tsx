import type { LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { AppProvider, BlockStack, Button, Card, Page, Text } from "@shopify/polaris";
import english from "@shopify/polaris/locales/en.json";
import { env } from "../env.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  // Shopify's admin opens the app URL with ?shop=…; send it into the embedded app.
  if (url.searchParams.get("shop")) throw redirect(`/app?${url.searchParams}`);
  return json({ demo: env.demo });
}

export default function Landing() {
  const { demo } = useLoaderData<typeof loader>();
  return (
    <AppProvider i18n={english}>
      <Page narrowWidth>
        <Card>
          <BlockStack gap="300">
            <Text as="h1" variant="headingLg">
              Waypost
            </Text>
            <Text as="p">
              Turns your store&apos;s orders and shipments into Klaviyo events, so your customers hear about every step
              of their delivery from your own email and SMS flows.
            </Text>
            {demo ? (
              <Button url="/demo" variant="primary">
                Open the demo store&apos;s admin
              </Button>
            ) : (
              <Button url="/auth/login" variant="primary">
                Install on your store
              </Button>
            )}
          </BlockStack>
        </Card>
      </Page>
    </AppProvider>
  );
}
