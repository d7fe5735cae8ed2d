import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Banner, BlockStack, Card, Checkbox, Page, Text } from "@shopify/polaris";
import { requireAdmin } from "../shops/admin-context.server";
import { EVENT_CATALOG } from "../tracking/event-catalog";

export const KLAVIYO_REQUIRED_MESSAGE =
  "Connect Klaviyo in Account Settings > Integrations to configure these events";

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireAdmin(request);
  return json({ goLive: shop.goLive, klaviyoConnected: false, events: EVENT_CATALOG });
}

export default function TrackSettings() {
  const { goLive, klaviyoConnected, events } = useLoaderData<typeof loader>();
  return (
    <Page title="Track Settings">
      <BlockStack gap="400">
        <Card>
          <BlockStack gap="200">
            <Text as="h2" variant="headingMd">
              Go Live
            </Text>
            <Checkbox label="Go Live" checked={goLive} disabled={!klaviyoConnected} onChange={() => {}}
              helpText="While Go Live is off, Waypost records events but sends nothing to Klaviyo." />
          </BlockStack>
        </Card>
        <Card>
          <BlockStack gap="300">
            <Text as="h2" variant="headingMd">
              Klaviyo Notifications
            </Text>
            {klaviyoConnected ? null : <Banner tone="info">{KLAVIYO_REQUIRED_MESSAGE}</Banner>}
            {events.map((event) => (
              <Checkbox key={event.key} label={event.metric} helpText={event.description}
                checked={event.defaultEnabled} disabled={!klaviyoConnected} onChange={() => {}} />
            ))}
          </BlockStack>
        </Card>
      </BlockStack>
    </Page>
  );
}
