import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData, useNavigate, useSearchParams } from "@remix-run/react";
import { Badge, BlockStack, Card, EmptyState, IndexTable, InlineStack, Page, Pagination, Text } from "@shopify/polaris";
import { Children, type ReactNode } from "react";
import { z } from "zod";
import { ActivityFilter } from "../components/ActivityFilter";
import { EventSourceBadge } from "../components/EventSourceBadge";
import { EVENT_TONE, NarrowEventList } from "../components/NarrowEventList";
import { ReplayAllBanner, ReplayButton } from "../components/ReplayControls";
import { ReceiptStatus } from "../components/ReceiptStatus";
import { ConsentChangesTable } from "../components/ConsentChangesTable";
import { recentConsentChanges } from "../jobs/consent/consent-activity.server";
import { replayDeadLetters } from "../jobs/event-queue/replay.server";
import { retryFailedReceipt } from "../jobs/receipt-queue.server";
import { recentWebhooks } from "../platform/webhook-receipts.server";
import { requireAdmin } from "../shops/admin-context.server";
import { nextCalendarDay, startOfDayIn } from "../time";
import { activityPage, deadLetterCount } from "../tracking/activity-log.server";
import { EVENT_CATALOG, metricFor } from "../tracking/event-catalog";
import { EVENT_SOURCES } from "../tracking/event-source";
import { EVENT_STATUS, EVENT_STATUSES, statusLabel } from "../tracking/event-status";

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .catch(undefined)
    .transform((value) => value || undefined);
const eventKey = z.enum(EVENT_CATALOG.map((event) => event.key) as [string, ...string[]]);

// Anything unreadable in the query string is ignored rather than refused: a stale link still opens.
const ActivityFilterQuery = z.object({
  status: z.enum(EVENT_STATUSES).optional().catch(undefined),
  event: eventKey.optional().catch(undefined),
  source: z.enum(EVENT_SOURCES).optional().catch(undefined),
  import: optionalText(64),
  q: optionalText(200),
  from: optionalText(10),
  to: optionalText(10),
  // An instant (the Dashboard's "last 24 hours" and "last 7 days" open their rows with it).
  since: z
    .string()
    .datetime()
    .optional()
    .catch(undefined)
    .transform((value) => value || undefined),
  before: optionalText(200),
  after: optionalText(200),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireAdmin(request);
  const filter = ActivityFilterQuery.parse(Object.fromEntries(new URL(request.url).searchParams));
  // Dates are the shop's calendar days of when events happened; "to" includes the whole day.
  const fromDay = filter.from ? startOfDayIn(filter.from, shop.timezone) : undefined;
  const since = filter.since ? new Date(filter.since) : undefined;
  const occurredFrom = fromDay && since ? (fromDay > since ? fromDay : since) : (fromDay ?? since);
  const occurredBefore =
    filter.to && startOfDayIn(filter.to, shop.timezone)
      ? startOfDayIn(nextCalendarDay(filter.to), shop.timezone)
      : undefined;
  const [page, deadLetters, webhooks, consentChanges] = await Promise.all([
    activityPage(shop.id, {
      status: filter.status,
      eventKey: filter.event,
      source: filter.source,
      backfillId: filter.import,
      search: filter.q,
      occurredFrom,
      occurredBefore,
      before: filter.before,
      after: filter.after,
    }),
    deadLetterCount(shop.id, filter.event),
    recentWebhooks(shop.id),
    recentConsentChanges(shop.id),
  ]);
  return json({ timezone: shop.timezone, ...page, deadLetters, webhooks, consentChanges, filter });
}

const ActivityRequest = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("replay"), eventId: z.string().min(1).max(64) }),
  z.object({ intent: z.literal("replay_all"), eventKey: eventKey.optional() }),
  z.object({ intent: z.literal("retry_receipt"), receiptId: z.string().min(1).max(64) }),
]);

export async function action({ request }: ActionFunctionArgs) {
  const { shop } = await requireAdmin(request);
  const parsed = ActivityRequest.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return json({ replayed: 0, error: "That request was not understood." }, { status: 400 });
  if (parsed.data.intent === "retry_receipt") {
    if (await retryFailedReceipt(shop.id, parsed.data.receiptId))
      return json({ replayed: 0, retried: true, error: null });
    return json({ replayed: 0, retried: false, error: "That is not a failed update of this store." }, { status: 404 });
  }
  if (parsed.data.intent === "replay_all") {
    return json({ replayed: await replayDeadLetters(shop.id, { eventKey: parsed.data.eventKey }), error: null });
  }
  const replayed = await replayDeadLetters(shop.id, { eventIds: [parsed.data.eventId] });
  if (replayed === 0)
    return json({ replayed, error: "That event is not a dead-lettered event of this store." }, { status: 404 });
  return json({ replayed, error: null });
}

function ActivitySection({
  title,
  emptyHeading,
  emptyText,
  emptyAction,
  children,
}: {
  title: string;
  emptyHeading: string;
  emptyText: string;
  emptyAction?: { content: string; url: string };
  children: ReactNode | null;
}) {
  // Children.toArray drops null children: a list and a pager that both render nothing count as empty.
  const empty = Children.toArray(children).length === 0;
  return (
    <Card padding="0">
      <BlockStack>
        <div style={{ padding: "var(--p-space-400)" }}>
          <Text as="h2" variant="headingMd">
            {title}
          </Text>
        </div>
        {empty ? (
          <EmptyState heading={emptyHeading} image="" action={emptyAction}>
            <Text as="p">{emptyText}</Text>
          </EmptyState>
        ) : (
          children
        )}
      </BlockStack>
    </Card>
  );
}

export default function Activity() {
  const { timezone, events, newerCursor, olderCursor, deadLetters, webhooks, consentChanges, filter } =
    useLoaderData<typeof loader>();
  const [searchParams] = useSearchParams();
  const navigate = useNavigate();
  const goTo = (cursor: { before?: string; after?: string }) => {
    const next = new URLSearchParams(searchParams);
    next.delete("before");
    next.delete("after");
    for (const [key, value] of Object.entries(cursor)) if (value) next.set(key, value);
    navigate(`?${next}`);
  };
  const formatTime = (iso: string) =>
    new Intl.DateTimeFormat("en-US", {
      month: "short",
      day: "numeric",
      year: "numeric",
      hour: "numeric",
      minute: "2-digit",
      timeZone: timezone,
      timeZoneName: "short",
    }).format(new Date(iso));
  const filtered = Boolean(
    filter.status ||
    filter.event ||
    filter.source ||
    filter.import ||
    filter.q ||
    filter.from ||
    filter.to ||
    filter.since,
  );

  return (
    <Page title="Activity" subtitle={`Times shown in ${timezone}`}>
      <BlockStack gap="400">
        <ReplayAllBanner
          count={deadLetters}
          eventKey={filter.event}
          eventName={filter.event ? metricFor(filter.event) : undefined}
        />
        <Card>
          {/* Keyed by the filter in the URL, so "Clear filters" (a link) also clears the fields. */}
          <ActivityFilter key={JSON.stringify(filter)} values={filter} timezone={timezone} formatTime={formatTime} />
        </Card>
        <ActivitySection
          title="Events"
          emptyHeading={filtered ? "No events match this filter" : "No events yet"}
          emptyText={
            filtered
              ? "Try another status, event, source or date range, or search for an order number like #1001, the customer's email, or a tracking number."
              : "When your store takes and ships orders, every event Waypost detects appears here: sent to Klaviyo, or skipped with the reason. Choose the events to send and turn on Go Live first."
          }
          emptyAction={
            filtered
              ? { content: "Clear filters", url: "/app/activity" }
              : { content: "Choose events to send", url: "/app/track-settings" }
          }
        >
          {events.length === 0 ? null : (
            <div className="waypost-wide-events">
              <IndexTable
                resourceName={{ singular: "event", plural: "events" }}
                itemCount={events.length}
                selectable={false}
                headings={[{ title: "Happened" }, { title: "Event" }, { title: "Order" }, { title: "Status" }]}
              >
                {events.map((event, index) => (
                  <IndexTable.Row id={event.id} key={event.id} position={index}>
                    <IndexTable.Cell>{formatTime(event.occurredAt ?? event.detectedAt)}</IndexTable.Cell>
                    <IndexTable.Cell>
                      <InlineStack gap="200" blockAlign="center" wrap={false}>
                        <Link to={`/app/activity/${event.id}`}>{metricFor(event.eventKey)}</Link>
                        <EventSourceBadge source={event.source} />
                      </InlineStack>
                    </IndexTable.Cell>
                    <IndexTable.Cell>{event.orderName ?? "—"}</IndexTable.Cell>
                    <IndexTable.Cell>
                      <InlineStack gap="200" blockAlign="center">
                        <Badge tone={EVENT_TONE[event.status as keyof typeof EVENT_TONE]}>
                          {event.status === EVENT_STATUS.skipped || event.status === EVENT_STATUS.cancelled
                            ? `${statusLabel(event.status)}: ${event.skipReason}`
                            : event.status === EVENT_STATUS.dead_lettered
                              ? `${statusLabel(event.status)}: ${event.lastError}`
                              : statusLabel(event.status)}
                        </Badge>
                        {event.status === EVENT_STATUS.dead_lettered ? (
                          <ReplayButton
                            eventId={event.id}
                            what={`${metricFor(event.eventKey)} for ${event.orderName ?? "this order"}`}
                          />
                        ) : null}
                        {event.note ? (
                          <Text as="span" tone="caution">
                            {event.note}
                          </Text>
                        ) : null}
                      </InlineStack>
                    </IndexTable.Cell>
                  </IndexTable.Row>
                ))}
              </IndexTable>
            </div>
          )}
          {events.length === 0 ? null : <NarrowEventList events={events} formatTime={formatTime} />}
          {newerCursor || olderCursor ? (
            <div style={{ padding: "var(--p-space-300)", display: "flex", justifyContent: "center" }}>
              <Pagination
                hasPrevious={Boolean(newerCursor)}
                previousTooltip="Newer events"
                onPrevious={() => goTo({ after: newerCursor })}
                hasNext={Boolean(olderCursor)}
                nextTooltip="Older events"
                onNext={() => goTo({ before: olderCursor })}
                accessibilityLabels={{ previous: "Newer events", next: "Older events" }}
              />
            </div>
          ) : null}
        </ActivitySection>
        <ActivitySection
          title="Store updates received"
          emptyHeading="Nothing received yet"
          emptyText="Order and fulfillment updates from your store appear here as Shopify sends them."
        >
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
                    <ReceiptStatus
                      receiptId={webhook.id}
                      status={webhook.status}
                      reason={webhook.reason}
                      nextTry={webhook.nextAttemptAt ? formatTime(webhook.nextAttemptAt) : null}
                    />
                  </IndexTable.Cell>
                </IndexTable.Row>
              ))}
            </IndexTable>
          )}
        </ActivitySection>
        <ActivitySection
          title="Unsubscribes from Klaviyo"
          emptyHeading="No unsubscribes yet"
          emptyText="With consent sync on (Track Settings), each email or SMS unsubscribe in Klaviyo appears here with what Waypost did in Shopify."
        >
          {consentChanges.length === 0 ? null : (
            <ConsentChangesTable changes={consentChanges} formatTime={formatTime} />
          )}
        </ActivitySection>
      </BlockStack>
    </Page>
  );
}
