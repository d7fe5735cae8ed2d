import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useFetcher, useLoaderData } from "@remix-run/react";
import { Badge, BlockStack, Button, Card, EmptyState, IndexTable, InlineStack, Page, Select, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { z } from "zod";
import { replayFailedEvent } from "../jobs/event-replay.server";
import type { ReactNode } from "react";
import { recentWebhooks } from "../platform/webhook-receipts.server";
import { requireAdmin } from "../shops/admin-context.server";
import { metricFor } from "../tracking/event-catalog";
import { EVENT_STATUSES } from "../tracking/event-status";
import { recentTrackingEvents } from "../tracking/tracking-events.server";

const ActivityFilter = z.object({
  status: z.enum(EVENT_STATUSES).optional().catch(undefined),
  order: z.string().trim().max(100).optional().transform((value) => value || undefined),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireAdmin(request);
  const filter = ActivityFilter.parse(Object.fromEntries(new URL(request.url).searchParams));
  const [events, webhooks] = await Promise.all([recentTrackingEvents(shop.id, filter), recentWebhooks(shop.id)]);
  return json({ timezone: shop.timezone, events, webhooks, filter });
}

function EventFilter({ status, order }: { status?: string; order?: string }) {
  const [orderText, setOrderText] = useState(order ?? "");
  const [statusValue, setStatusValue] = useState(status ?? "");
  return (
    <Form method="get">
      <InlineStack gap="300" blockAlign="end">
        <Select label="Status" name="status" value={statusValue} onChange={setStatusValue}
          options={[{ label: "All", value: "" }, ...EVENT_STATUSES.map((value) => ({ label: value[0].toUpperCase() + value.slice(1), value }))]} />
        <TextField label="Order" name="order" value={orderText} onChange={setOrderText} autoComplete="off" placeholder="#1001" />
        <Button submit>Filter</Button>
      </InlineStack>
    </Form>
  );
}

const ReplayForm = z.object({ intent: z.literal("replay"), eventId: z.string().min(1).max(64) });

export async function action({ request }: ActionFunctionArgs) {
  const { shop } = await requireAdmin(request);
  const parsed = ReplayForm.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return json({ replayed: false, error: "That request was not understood." }, { status: 400 });
  const replayed = await replayFailedEvent(shop.id, parsed.data.eventId);
  if (!replayed) return json({ replayed: false, error: "That event is not a failed event of this store." }, { status: 404 });
  return json({ replayed: true, error: null });
}

function ReplayButton({ eventId }: { eventId: string }) {
  const fetcher = useFetcher<typeof action>();
  return (
    <Button size="slim" loading={fetcher.state !== "idle"} accessibilityLabel="Send this event again"
      onClick={() => fetcher.submit({ intent: "replay", eventId }, { method: "post" })}>
      Replay
    </Button>
  );
}

const EVENT_TONE = { sent: "success", queued: "info", sending: "info", skipped: undefined, failed: "critical", cancelled: "warning" } as const;
const WEBHOOK_TONE = { processed: "success", pending: "info", processing: "info", failed: "critical" } as const;

function ActivitySection({ title, emptyHeading, emptyText, children }: { title: string; emptyHeading: string; emptyText: string; children: ReactNode | null }) {
  return (
    <Card padding="0">
      <BlockStack>
        <div style={{ padding: "var(--p-space-400)" }}>
          <Text as="h2" variant="headingMd">{title}</Text>
        </div>
        {children ?? (
          <EmptyState heading={emptyHeading} image="">
            <Text as="p">{emptyText}</Text>
          </EmptyState>
        )}
      </BlockStack>
    </Card>
  );
}

export default function Activity() {
  const { timezone, events, webhooks, filter } = useLoaderData<typeof loader>();
  const formatTime = (iso: string) =>
    new Intl.DateTimeFormat("en-US", {
      month: "short", day: "numeric", year: "numeric", hour: "numeric", minute: "2-digit",
      timeZone: timezone, timeZoneName: "short",
    }).format(new Date(iso));

  return (
    <Page title="Activity" subtitle={`Times shown in ${timezone}`}>
      <BlockStack gap="400">
        <Card>
          <EventFilter status={filter.status} order={filter.order} />
        </Card>
        <ActivitySection title="Events" emptyHeading={filter.status || filter.order ? "No events match this filter" : "No events yet"}
          emptyText="When your store takes and ships orders, every event Waypost detects appears here: sent to Klaviyo, or skipped with the reason.">
          {events.length === 0 ? null : (
            <IndexTable
              resourceName={{ singular: "event", plural: "events" }}
              itemCount={events.length}
              selectable={false}
              headings={[{ title: "Detected" }, { title: "Event" }, { title: "Order" }, { title: "Status" }]}
            >
              {events.map((event, index) => (
                <IndexTable.Row id={event.id} key={event.id} position={index}>
                  <IndexTable.Cell>{formatTime(event.detectedAt)}</IndexTable.Cell>
                  <IndexTable.Cell>
                    <Link to={`/app/activity/${event.id}`}>{metricFor(event.eventKey)}</Link>
                  </IndexTable.Cell>
                  <IndexTable.Cell>{event.orderName ?? "—"}</IndexTable.Cell>
                  <IndexTable.Cell>
                    <InlineStack gap="200" blockAlign="center">
                      <Badge tone={EVENT_TONE[event.status as keyof typeof EVENT_TONE]}>
                        {event.status === "skipped" || event.status === "cancelled"
                          ? `${event.status}: ${event.skipReason}`
                          : event.status === "failed"
                            ? `failed: ${event.lastError}`
                            : event.status}
                      </Badge>
                      {event.status === "failed" ? <ReplayButton eventId={event.id} /> : null}
                    </InlineStack>
                  </IndexTable.Cell>
                </IndexTable.Row>
              ))}
            </IndexTable>
          )}
        </ActivitySection>
        <ActivitySection title="Store updates received" emptyHeading="Nothing received yet"
          emptyText="Order and fulfillment updates from your store appear here as Shopify sends them.">
          {webhooks.length === 0 ? null : (
            <IndexTable
              resourceName={{ singular: "update", plural: "updates" }}
              itemCount={webhooks.length}
              selectable={false}
              headings={[{ title: "Received" }, { title: "Update" }, { title: "Order" }, { title: "Status" }]}
            >
              {webhooks.map((webhook, index) => (
                <IndexTable.Row id={webhook.id} key={webhook.id} position={index}>
                  <IndexTable.Cell>{formatTime(webhook.receivedAt)}</IndexTable.Cell>
                  <IndexTable.Cell>{webhook.topic}</IndexTable.Cell>
                  <IndexTable.Cell>{webhook.orderId ?? "—"}</IndexTable.Cell>
                  <IndexTable.Cell>
                    <Badge tone={WEBHOOK_TONE[webhook.status as keyof typeof WEBHOOK_TONE]}>
                      {webhook.ignoredReason ? `ignored: ${webhook.ignoredReason}` : webhook.status}
                    </Badge>
                  </IndexTable.Cell>
                </IndexTable.Row>
              ))}
            </IndexTable>
          )}
        </ActivitySection>
      </BlockStack>
    </Page>
  );
}
