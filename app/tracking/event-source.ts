import { ownEntry } from "../own-entry";

/**
 * Where a recorded event came from: live from the store (webhooks, the delay scan, repairs),
 * imported from its order history, or a test sent from Track Settings. The Dashboard counts live
 * events; Activity shows every one, marked, and filters by it.
 */
export const EVENT_SOURCES = ["live", "imported", "test"] as const;
export type EventSource = (typeof EVENT_SOURCES)[number];

export const EVENT_SOURCE = {
  live: "live",
  imported: "imported",
  test: "test",
} as const satisfies { [S in EventSource]: S };

export const EVENT_SOURCE_LABELS: Record<EventSource, string> = {
  live: "Live",
  imported: "Imported",
  test: "Test",
};

/** Rows older than the column have none: they were live. */
export const sourceOf = (source: string | null): EventSource =>
  source && ownEntry(EVENT_SOURCE_LABELS, source) ? (source as EventSource) : EVENT_SOURCE.live;
