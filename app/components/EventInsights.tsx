import { BlockStack, InlineStack, Link, Text } from "@shopify/polaris";
import { activityUrl } from "../tracking/activity-link";
import { EVENT_SOURCE } from "../tracking/event-source";
import { EVENT_STATUS } from "../tracking/event-status";
import { CountLink } from "./CountLink";

export interface EventInsightView {
  sent: number;
  skipped: number;
  failed: number;
}

/**
 * Beside an event's toggle in Track Settings: its live counts of the last 7 days (each opens its
 * rows in Activity), a link to all its rows, and the exact Klaviyo body it sends for the sample order.
 */
export function EventInsights({
  eventKey,
  metric,
  insight,
  since,
  preview,
}: {
  eventKey: string;
  metric: string;
  insight: EventInsightView;
  since: string;
  preview: string | null;
}) {
  const counted = (status: (typeof EVENT_STATUS)[keyof typeof EVENT_STATUS]) => ({
    event: eventKey,
    status,
    source: EVENT_SOURCE.live,
    since,
  });
  const context = `${metric} events in the last 7 days`;
  return (
    <BlockStack gap="100">
      <InlineStack gap="200" wrap blockAlign="center">
        <Text as="span" tone="subdued">
          Last 7 days:
        </Text>
        <CountLink count={insight.sent} text="sent" filter={counted(EVENT_STATUS.sent)} context={context} />
        <CountLink count={insight.skipped} text="skipped" filter={counted(EVENT_STATUS.skipped)} context={context} />
        <CountLink
          count={insight.failed}
          text="failed"
          filter={counted(EVENT_STATUS.dead_lettered)}
          context={context}
        />
        <Link url={activityUrl({ event: eventKey })} accessibilityLabel={`All in Activity: every ${metric} event`}>
          All in Activity
        </Link>
      </InlineStack>
      {preview ? (
        <details className="waypost-event-preview">
          <summary>{`Preview the ${metric} event Klaviyo receives`}</summary>
          <Text as="p" tone="subdued">
            For a sample order (#1001, two items, shipped by UPS). Use these properties in your Klaviyo templates, e.g.
            {" {{ event.order_name }}"}.
          </Text>
          <pre aria-label={`${metric} event body`}>{preview}</pre>
        </details>
      ) : null}
    </BlockStack>
  );
}
