import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import polarisVizStyles from "@shopify/polaris-viz/build/esm/styles.css";
import { Badge, Banner, BlockStack, Button, Card, InlineStack, Layout, Link, Page, Text } from "@shopify/polaris";
import { DeliveryAlerts } from "../components/DeliveryAlerts";
import { DeliveryHealthChart } from "../components/DeliveryHealthChart";
import { EventCountsCard } from "../components/EventCountsCard";
import { KlaviyoReceiptCard } from "../components/KlaviyoReceiptCard";
import { KlaviyoStatusBadge } from "../components/KlaviyoStatusBadge";
import { ShopifyCheckCard } from "../components/ShopifyCheckCard";
import { sendDemoTestOrder } from "../demo/test-order.server";
import { env } from "../env.server";
import { klaviyoReceiptCheck } from "../jobs/klaviyo-reads/receipt-check.server";
import { reconciliationView } from "../jobs/reconciliation.server";
import type { KlaviyoConnectionView } from "../klaviyo/connection-view";
import { klaviyoConnectionView } from "../klaviyo/connection.server";
import { webhookStatsForLastDay } from "../platform/webhook-receipts.server";
import { trackSettingsFor } from "../settings/track-settings.server";
import { deadLetterCount } from "../tracking/activity-log.server";
import { dailyEventCounts, eventCounts, recentDeliveryHealth } from "../tracking/tracking-events.server";
import { requireAdmin } from "../shops/admin-context.server";

// The chart's stylesheet goes with the one page that draws a chart, not with every page.
export const links: LinksFunction = () => [{ rel: "stylesheet", href: polarisVizStyles }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireAdmin(request);
  const [connection, settings, webhooks, lastDay, lastWeek, daily, shopifyCheck, health, deadLetters, klaviyoReceipt] =
    await Promise.all([
      klaviyoConnectionView(shop.id),
      trackSettingsFor(shop.id),
      webhookStatsForLastDay(shop.id),
      eventCounts(shop.id, 1),
      eventCounts(shop.id, 7),
      dailyEventCounts(shop.id, shop.timezone),
      reconciliationView(shop.id),
      recentDeliveryHealth(shop.id),
      deadLetterCount(shop.id),
      klaviyoReceiptCheck(shop),
    ]);
  return json({
    shopName: shop.name,
    klaviyoStatus: connection.status,
    goLive: settings.goLive,
    eventsEnabled: settings.events.filter((event) => event.enabled).length,
    webhooks,
    events: { lastDay, lastWeek, daily },
    health,
    deadLetters,
    timezone: shop.timezone,
    testEventAccepted: Boolean(shop.testEventAcceptedAt),
    demo: env.demo,
    shopifyCheck,
    klaviyoReceipt,
  });
}

// Demo only: run a test order's whole life through the webhook endpoint.
export async function action({ request }: ActionFunctionArgs) {
  const { shop } = await requireAdmin(request);
  const form = await request.formData();
  if (form.get("intent") === "check_klaviyo_counts")
    return json({ receiptError: (await klaviyoReceiptCheck(shop, { refresh: true })).error });
  if (!env.demo) return json({ error: "Test orders exist only in the demo." }, { status: 404 });
  return json(await sendDemoTestOrder(shop.domain));
}

type SetupStepState = "done" | "to_do" | "action_needed";
const SETUP_STEP_BADGE = {
  done: { label: "Done", tone: "success" },
  to_do: { label: "To do", tone: undefined },
  action_needed: { label: "Action needed", tone: "critical" },
} as const;
const KLAVIYO_STEP: Record<KlaviyoConnectionView["status"], SetupStepState> = {
  connected: "done",
  needs_reconnect: "action_needed",
  not_connected: "to_do",
};

export default function Dashboard() {
  const {
    shopName,
    klaviyoStatus,
    goLive,
    eventsEnabled,
    webhooks,
    events,
    health,
    deadLetters,
    timezone,
    testEventAccepted,
    demo,
    shopifyCheck,
    klaviyoReceipt,
  } = useLoaderData<typeof loader>();
  // Needs reconnect keeps the account and the chosen events: only step 1 asks for action.
  const klaviyoLinked = klaviyoStatus !== "not_connected";
  const testOrder = useFetcher<{ orderName?: string; error?: string }>();
  const setupSteps: Array<{ label: string; state: SetupStepState; url: string }> = [
    {
      label: klaviyoStatus === "needs_reconnect" ? "Reconnect Klaviyo" : "Connect Klaviyo",
      state: KLAVIYO_STEP[klaviyoStatus],
      url: "/app/integrations",
    },
    { label: "Turn on Go Live", state: goLive ? "done" : "to_do", url: "/app/track-settings" },
    {
      label: "Choose the events to send",
      state: klaviyoLinked && eventsEnabled > 0 ? "done" : "to_do",
      url: "/app/track-settings",
    },
    {
      label: "Send a test event and see it in Klaviyo",
      state: testEventAccepted ? "done" : "to_do",
      url: "/app/track-settings",
    },
  ];

  return (
    <Page title="Dashboard" subtitle={shopName}>
      <Layout>
        <DeliveryAlerts health={health} deadLetters={deadLetters} />
        <Layout.Section>
          <InlineStack gap="300">
            <InlineStack gap="100" blockAlign="center">
              <Text as="span">Klaviyo</Text>
              <KlaviyoStatusBadge status={klaviyoStatus} />
            </InlineStack>
            <Badge tone={goLive ? "success" : "attention"}>{goLive ? "Go Live on" : "Go Live off"}</Badge>
          </InlineStack>
        </Layout.Section>
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
                    <Badge tone={SETUP_STEP_BADGE[step.state].tone}>{SETUP_STEP_BADGE[step.state].label}</Badge>
                  </InlineStack>
                ))}
              </BlockStack>
            </BlockStack>
          </Card>
        </Layout.Section>
        {demo ? (
          <Layout.Section>
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  Try it with a test order
                </Text>
                <Text as="p" tone="subdued">
                  Sends a test order through its whole life (placed, paid, shipped, in transit, out for delivery,
                  delivered) as Shopify webhooks. Connect Klaviyo and turn on Go Live first to see the events arrive in
                  the local Klaviyo&apos;s activity feed.
                </Text>
                {testOrder.data?.orderName ? (
                  <Banner tone="success">{`Test order ${testOrder.data.orderName} sent. Follow it on the Activity page.`}</Banner>
                ) : null}
                <InlineStack>
                  <Button onClick={() => testOrder.submit({}, { method: "post" })} loading={testOrder.state !== "idle"}>
                    Send a test order
                  </Button>
                </InlineStack>
              </BlockStack>
            </Card>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Delivery health, last 7 days
              </Text>
              <DeliveryHealthChart days={events.daily} timezone={timezone} />
            </BlockStack>
          </Card>
        </Layout.Section>
        {klaviyoReceipt.connected ? (
          <Layout.Section>
            <KlaviyoReceiptCard check={klaviyoReceipt} timezone={timezone} />
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <EventCountsCard lastDay={events.lastDay} lastWeek={events.lastWeek} />
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
        <Layout.Section variant="oneThird">
          <ShopifyCheckCard check={shopifyCheck} timezone={timezone} />
        </Layout.Section>
      </Layout>
    </Page>
  );
}
