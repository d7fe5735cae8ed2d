import { Link } from "@remix-run/react";
import { Badge, BlockStack, Box, InlineStack, Text } from "@shopify/polaris";
import { metricFor } from "../tracking/event-catalog";
import { EVENT_STATUS, statusLabel } from "../tracking/event-status";
import { EventSourceBadge } from "./EventSourceBadge";
import { ReplayButton } from "./ReplayControls";

export const EVENT_TONE = {
  sent: "success",
  queued: "info",
  sending: "info",
  skipped: undefined,
  dead_lettered: "critical",
  cancelled: "warning",
} as const;

interface ListedEvent {
  id: string;
  eventKey: string;
  orderName: string | null;
  status: string;
  skipReason: string | null;
  lastError: string | null;
  detectedAt: string;
  occurredAt: string | null;
  source: string | null;
}

/**
 * Activity's events on a phone-sized screen: one stacked item per event, so the status (and a
 * reason, and Replay) stays in view where a four-column table would scroll it off to the side.
 * Drawn beside the table; the stylesheet shows one or the other by width.
 */
export function NarrowEventList({ events, formatTime }: { events: ListedEvent[]; formatTime(iso: string): string }) {
  return (
    <ul className="waypost-narrow-events" aria-label="Events">
      {events.map((event) => {
        const reason =
          event.status === EVENT_STATUS.dead_lettered
            ? event.lastError
            : event.status === EVENT_STATUS.skipped || event.status === EVENT_STATUS.cancelled
              ? event.skipReason
              : null;
        return (
          <li key={event.id}>
            <Box padding="300" borderBlockStartWidth="025" borderColor="border">
              <BlockStack gap="100">
                <InlineStack gap="200" align="space-between" blockAlign="center" wrap={false}>
                  <InlineStack gap="100" blockAlign="center">
                    <Link to={`/app/activity/${event.id}`}>{metricFor(event.eventKey)}</Link>
                    <EventSourceBadge source={event.source} />
                  </InlineStack>
                  <Badge tone={EVENT_TONE[event.status as keyof typeof EVENT_TONE]}>{statusLabel(event.status)}</Badge>
                </InlineStack>
                <Text as="p" tone="subdued">
                  {`${event.orderName ?? "No order"} · ${formatTime(event.occurredAt ?? event.detectedAt)}`}
                </Text>
                {reason ? <Text as="p">{reason}</Text> : null}
                {event.status === EVENT_STATUS.dead_lettered ? (
                  <InlineStack>
                    <ReplayButton
                      eventId={event.id}
                      what={`${metricFor(event.eventKey)} for ${event.orderName ?? "this order"}`}
                    />
                  </InlineStack>
                ) : null}
              </BlockStack>
            </Box>
          </li>
        );
      })}
    </ul>
  );
}
