import { BlockStack, Card, DataTable, InlineStack, Link, Text } from "@shopify/polaris";
import { activityUrl } from "../tracking/activity-link";
import { EVENT_CATALOG } from "../tracking/event-catalog";
import { EVENT_SOURCE } from "../tracking/event-source";
import { EVENT_STATUS, statusLabel } from "../tracking/event-status";
import { CountLink } from "./CountLink";
import { KeyboardScrollable } from "./KeyboardScrollable";

export type EventCounts = {
  since: string;
  byStatus: Record<string, number>;
  byEvent: Record<string, Record<string, number>>;
};
const COUNTED = [EVENT_STATUS.sent, EVENT_STATUS.skipped, EVENT_STATUS.dead_lettered, EVENT_STATUS.cancelled] as const;

/** The Dashboard's live event counts, each a link to exactly the Activity rows it counts. */
export function EventCountsCard({ lastDay, lastWeek }: { lastDay: EventCounts; lastWeek: EventCounts }) {
  const rows = EVENT_CATALOG.filter((event) => lastWeek.byEvent[event.key]);
  const live = EVENT_SOURCE.live;
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Events
        </Text>
        <Text as="p" tone="subdued">
          Live events, by when they happened on your store.{" "}
          <Link url={activityUrl({ source: EVENT_SOURCE.imported })}>Imported history</Link> and{" "}
          <Link url={activityUrl({ source: EVENT_SOURCE.test })}>test events</Link> are listed in Activity.
        </Text>
        <InlineStack gap="600">
          {(
            [
              ["Last 24 hours", lastDay],
              ["Last 7 days", lastWeek],
            ] as const
          ).map(([label, counts]) => (
            <BlockStack gap="100" key={label}>
              <Text as="h3" variant="headingSm">
                {label}
              </Text>
              <InlineStack gap="200" wrap>
                {COUNTED.map((status) => (
                  <CountLink
                    key={status}
                    count={counts.byStatus[status] ?? 0}
                    text={statusLabel(status).toLowerCase()}
                    filter={{ status, source: live, since: counts.since }}
                    context={`in the ${label.toLowerCase()}`}
                  />
                ))}
              </InlineStack>
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
                ...COUNTED.map((status) => (
                  <CountLink
                    key={status}
                    count={lastWeek.byEvent[event.key]?.[status] ?? 0}
                    text=""
                    filter={{ status, event: event.key, source: live, since: lastWeek.since }}
                    context={`${event.metric} ${statusLabel(status).toLowerCase()} in the last 7 days`}
                  />
                )),
              ])}
            />
          </KeyboardScrollable>
        )}
      </BlockStack>
    </Card>
  );
}
