import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import polarisVizStyles from "@shopify/polaris-viz/build/esm/styles.css";
import {
  Badge,
  Banner,
  BlockStack,
  Button,
  Card,
  DataTable,
  InlineStack,
  Layout,
  Link,
  Page,
  Text,
} from "@shopify/polaris";
import { DeliveryHealthChart } from "../components/DeliveryHealthChart";
import { KeyboardScrollable } from "../components/KeyboardScrollable";
import { KlaviyoStatusBadge } from "../components/KlaviyoStatusBadge";
import { ShopifyCheckCard } from "../components/ShopifyCheckCard";
import { sendDemoTestOrder } from "../demo/test-order.server";
import { env } from "../env.server";
import { reconciliationView } from "../jobs/reconciliation.server";
import type { KlaviyoConnectionView } from "../klaviyo/connection-view";
import { klaviyoConnectionView } from "../klaviyo/connection.server";
import { webhookStatsForLastDay } from "../platform/webhook-receipts.server";
import { trackSettingsFor } from "../settings/track-settings.server";
import { EVENT_CATALOG } from "../tracking/event-catalog";
import { EVENT_STATUS, statusLabel } from "../tracking/event-status";
import { dailyEventCounts, eventCounts } from "../tracking/tracking-events.server";
import { requireAdmin } from "../shops/admin-context.server";

// The chart's stylesheet goes with the one page that draws a chart, not with every page.
export const links: LinksFunction = () => [{ rel: "stylesheet", href: polarisVizStyles }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireAdmin(request);
  const [connection, settings, webhooks, lastDay, lastWeek, daily, shopifyCheck] = await Promise.all([
    klaviyoConnectionView(shop.id),
    trackSettingsFor(shop.id),
    webhookStatsForLastDay(shop.id),
    eventCounts(shop.id, 1),
    eventCounts(shop.id, 7),
    dailyEventCounts(shop.id, shop.timezone),
    reconciliationView(shop.id),
  ]);
  return json({
    shopName: shop.name,
    klaviyoStatus: connection.status,
    goLive: settings.goLive,
    eventsEnabled: settings.events.filter((event) => event.enabled).length,
    webhooks,
    events: { lastDay, lastWeek, daily },
    timezone: shop.timezone,
    testEventAccepted: Boolean(shop.testEventAcceptedAt),
    demo: env.demo,
    shopifyCheck,
  });
}

// Demo only: run a test order's whole life through the webhook endpoint.
export async function action({ request }: ActionFunctionArgs) {
  const { shop } = await requireAdmin(request);
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
  const { shopName, klaviyoStatus, goLive, eventsEnabled, webhooks, events, timezone, testEventAccepted, demo } =
    useLoaderData<typeof loader>();
  const { shopifyCheck } = useLoaderData<typeof loader>();
  // Needs reconnect keeps the account and the chosen events: only step 1 asks for action.
  const klaviyoLinked = klaviyoStatus !== "not_connected";
  const testOrder = useFetcher<{ orderName?: string; error?: string }>();
  const deadLetteredToday = events.lastDay.byStatus.dead_lettered ?? 0;
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
        {deadLetteredToday > 0 ? (
          <Layout.Section>
            <Banner
              tone="critical"
              title={`${deadLetteredToday} event${deadLetteredToday === 1 ? "" : "s"} could not be delivered in the last 24 hours`}
              action={{ content: "Review and replay", url: "/app/activity?status=dead_lettered" }}
            >
              <p>
                Klaviyo refused them or stayed unreachable through every retry. Activity shows why; replaying sends each
                once.
              </p>
            </Banner>
          </Layout.Section>
        ) : null}
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

type Counts = { byStatus: Record<string, number>; byEvent: Record<string, Record<string, number>> };
const COUNTED = [EVENT_STATUS.sent, EVENT_STATUS.skipped, EVENT_STATUS.dead_lettered, EVENT_STATUS.cancelled] as const;

function EventCountsCard({ lastDay, lastWeek }: { lastDay: Counts; lastWeek: Counts }) {
  const rows = EVENT_CATALOG.filter((event) => lastWeek.byEvent[event.key]);
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Events
        </Text>
        <InlineStack gap="600">
          {[
            ["Last 24 hours", lastDay],
            ["Last 7 days", lastWeek],
          ].map(([label, counts]) => (
            <BlockStack gap="100" key={label as string}>
              <Text as="h3" variant="headingSm">
                {label as string}
              </Text>
              <Text as="p">
                {COUNTED.map(
                  (status) => `${(counts as Counts).byStatus[status] ?? 0} ${statusLabel(status).toLowerCase()}`,
                ).join(" · ")}
              </Text>
            </BlockStack>
          ))}
        </InlineStack>
        {rows.length === 0 ? (
          <Text as="p" tone="subdued">
            No events in the last 7 days.
          </Text>
        ) : (
          <KeyboardScrollable label="Events by type, last 7 days">
            <DataTable
              columnContentTypes={["text", ...COUNTED.map(() => "numeric" as const)]}
              headings={["Event (last 7 days)", ...COUNTED.map(statusLabel)]}
              rows={rows.map((event) => [
                event.metric,
                ...COUNTED.map((status) => lastWeek.byEvent[event.key]?.[status] ?? 0),
              ])}
            />
          </KeyboardScrollable>
        )}
      </BlockStack>
    </Card>
  );
}
