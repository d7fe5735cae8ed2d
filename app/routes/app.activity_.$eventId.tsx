import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Badge, BlockStack, Box, Card, IndexTable, Page, Text } from "@shopify/polaris";
import { EventSourceBadge } from "../components/EventSourceBadge";
import { requireAdmin } from "../shops/admin-context.server";
import { metricFor } from "../tracking/event-catalog";
import { EVENT_STATUS, statusLabel } from "../tracking/event-status";
import { trackingEventDetail } from "../tracking/tracking-events.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { shop } = await requireAdmin(request);
  const event = await trackingEventDetail(shop.id, params.eventId ?? "");
  if (!event) throw json({ error: "This event does not exist in your store." }, { status: 404 });
  return json({ timezone: shop.timezone, event });
}

export default function EventDetail() {
  const { timezone, event } = useLoaderData<typeof loader>();
  const metric = metricFor(event.eventKey);
  const formatTime = (iso: string) =>
    new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "medium", timeZone: timezone }).format(
      new Date(iso),
    );

  return (
    <Page
      title={`${metric} · ${event.orderName ?? event.orderId}`}
      backAction={{ content: "Activity", url: "/app/activity" }}
      subtitle={`Times shown in ${timezone}`}
    >
      <BlockStack gap="400">
        <Card>
          <BlockStack gap="200">
            <Text as="h2" variant="headingMd">
              Status
            </Text>
            <Text as="p">
              <Badge>{statusLabel(event.status)}</Badge> <EventSourceBadge source={event.source} />{" "}
              {event.skipReason ?? event.lastError ?? ""}
            </Text>
            {event.note ? (
              <Text as="p" tone="caution">
                {event.note}
              </Text>
            ) : null}
            <Text
              as="p"
              tone="subdued"
            >{`${event.occurredAt ? `Happened ${formatTime(event.occurredAt)}, detected` : "Detected"} ${formatTime(event.detectedAt)}${event.sentAt ? `, sent ${formatTime(event.sentAt)}` : ""}. unique_id: ${event.uniqueKey}`}</Text>
          </BlockStack>
        </Card>
        <Card padding="0">
          <Box padding="400">
            <Text as="h2" variant="headingMd">
              Attempts
            </Text>
          </Box>
          <IndexTable
            resourceName={{ singular: "attempt", plural: "attempts" }}
            itemCount={event.attemptLog.length}
            selectable={false}
            emptyState={
              <Box padding="400">
                <Text as="p">
                  Not sent yet{event.status === EVENT_STATUS.skipped ? ": this event was skipped." : "."}
                </Text>
              </Box>
            }
            headings={[
              { title: "When" },
              { title: "Klaviyo answered" },
              { title: "Meaning" },
              { title: "Time taken" },
              { title: "Detail" },
            ]}
          >
            {event.attemptLog.map((attempt, index) => (
              <IndexTable.Row id={attempt.id} key={attempt.id} position={index}>
                <IndexTable.Cell>{formatTime(attempt.attemptedAt)}</IndexTable.Cell>
                <IndexTable.Cell>
                  {attempt.httpStatus === 0 ? "no answer" : `HTTP ${attempt.httpStatus}`}
                </IndexTable.Cell>
                <IndexTable.Cell>{attempt.outcome}</IndexTable.Cell>
                <IndexTable.Cell>{`${attempt.latencyMs} ms`}</IndexTable.Cell>
                <IndexTable.Cell>
                  {[attempt.detail, attempt.requestId && `(error id ${attempt.requestId})`].filter(Boolean).join(" ")}
                </IndexTable.Cell>
              </IndexTable.Row>
            ))}
          </IndexTable>
        </Card>
        <Card>
          <BlockStack gap="200">
            <Text as="h2" variant="headingMd">
              What Waypost sends to Klaviyo
            </Text>
            <Text as="p" tone="subdued">
              Frozen when the event was detected: every retry or replay sends exactly this.
            </Text>
            <pre
              aria-label="Event payload"
              style={{ whiteSpace: "pre-wrap", wordBreak: "break-word", fontSize: "12px", margin: 0 }}
            >
              {event.payload
                ? JSON.stringify(JSON.parse(event.payload), null, 2)
                : "Nothing: this event was not queued for Klaviyo."}
            </pre>
          </BlockStack>
        </Card>
      </BlockStack>
    </Page>
  );
}
