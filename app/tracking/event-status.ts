import { ownEntry } from "../own-entry";

/**
 * What can become of a detected event: the states of the TrackingEvent queue, named once here
 * (jobs/event-queue moves events between them; Activity and the dashboard show them).
 */
export const EVENT_STATUSES = ["queued", "sent", "skipped", "dead_lettered", "cancelled"] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];

/** The states by name, for code that writes or asks for one. */
export const EVENT_STATUS = {
  queued: "queued",
  sent: "sent",
  skipped: "skipped",
  dead_lettered: "dead_lettered",
  cancelled: "cancelled",
} as const satisfies { [S in EventStatus]: S };

/** Events that are over: sent, skipped or cancelled (a dead letter still waits for a replay). */
export const FINISHED_STATUSES: readonly EventStatus[] = [
  EVENT_STATUS.sent,
  EVENT_STATUS.skipped,
  EVENT_STATUS.cancelled,
];

/** Events still on their way to Klaviyo (one being sent right now is still queued until its answer is in). */
export const OPEN_STATUSES: readonly EventStatus[] = [EVENT_STATUS.queued];

/** How each status reads to a merchant. A dead letter is an event Waypost stopped retrying. */
export const EVENT_STATUS_LABELS: Record<EventStatus, string> = {
  queued: "Queued",
  sent: "Sent",
  skipped: "Skipped",
  dead_lettered: "Dead-lettered",
  cancelled: "Cancelled",
};

export const statusLabel = (status: string) => ownEntry(EVENT_STATUS_LABELS, status) ?? status;
