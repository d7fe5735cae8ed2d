import type { EventSource } from "./event-source";
import type { EventStatus } from "./event-status";

/** What Activity's query string can ask for; a count elsewhere links to exactly its rows with it. */
export interface ActivityLinkFilter {
  status?: EventStatus;
  event?: string;
  source?: EventSource;
  /** One import's events (its id). */
  import?: string;
  /** Events that happened since this instant (ISO 8601). */
  since?: string;
}

/** The Activity page listing the rows a count was made of. */
export function activityUrl(filter: ActivityLinkFilter) {
  const query = new URLSearchParams();
  for (const key of ["status", "event", "source", "import", "since"] as const)
    if (filter[key]) query.set(key, filter[key]);
  const search = query.toString();
  return search ? `/app/activity?${search}` : "/app/activity";
}
