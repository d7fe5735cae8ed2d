import { Badge } from "@shopify/polaris";
import { EVENT_SOURCE, EVENT_SOURCE_LABELS, sourceOf } from "../tracking/event-source";

/** Marks an event that did not come live from the store: imported history, or a test. Live events carry none. */
export function EventSourceBadge({ source }: { source: string | null }) {
  const known = sourceOf(source);
  if (known === EVENT_SOURCE.live) return null;
  return <Badge tone={known === EVENT_SOURCE.test ? "magic" : "info"}>{EVENT_SOURCE_LABELS[known]}</Badge>;
}
