import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Badge, BlockStack, Card, InlineStack, Layout, Link, Page, Text } from "@shopify/polaris";
import { klaviyoConnectionView } from "../klaviyo/connection.server";
import { webhookStatsForLastDay } from "../platform/webhook-receipts.server";
import { trackSettingsFor } from "../settings/track-settings.server";
import { requireAdmin } from "../shops/admin-context.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireAdmin(request);
  const [connection, settings, webhooks] = await Promise.all([
    klaviyoConnectionView(shop.id),
    trackSettingsFor(shop.id),
    webhookStatsForLastDay(shop.id),
  ]);
  return json({
    shopName: shop.name,
    klaviyoConnected: connection.status === "connected",
    goLive: settings.goLive,
    eventsEnabled: settings.events.filter((event) => event.enabled).length,
    webhooks,
  });
}

export default function Dashboard() {
  const { shopName, klaviyoConnected, goLive, eventsEnabled, webhooks } = useLoaderData<typeof loader>();
  const setupSteps = [
    { label: "Connect Klaviyo", done: klaviyoConnected, url: "/app/integrations" },
    { label: "Turn on Go Live", done: goLive, url: "/app/track-settings" },
    { label: "Choose the events to send", done: klaviyoConnected && eventsEnabled > 0, url: "/app/track-settings" },
    { label: "Send a test event and see it in Klaviyo", done: false, url: "/app/track-settings" },
  ];

  return (
    <Page title="Dashboard" subtitle={shopName}>
      <Layout>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Set up Waypost
              </Text>
              <Text as="p" tone="subdued">
                Four steps, then your customers get shipping updates from your own Klaviyo flows.
              </Text>
              <BlockStack gap="200" as="ol">
                {setupSteps.map((step, index) => (
                  <InlineStack key={step.label} gap="200" blockAlign="center" as="li">
                    <Text as="span" variant="bodyMd">{`${index + 1}.`}</Text>
                    <Link url={step.url}>{step.label}</Link>
                    <Badge tone={step.done ? "success" : undefined}>{step.done ? "Done" : "To do"}</Badge>
                  </InlineStack>
                ))}
              </BlockStack>
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                Store updates, last 24 hours
              </Text>
              <Text as="p" variant="heading2xl">
                {webhooks.total}
              </Text>
              <Text as="p" tone="subdued">
                {webhooks.total === 0
                  ? "No order or fulfillment updates received yet. They appear here as your store takes orders."
                  : `order and fulfillment updates received from your store.`}
              </Text>
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
