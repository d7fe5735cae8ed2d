/** What can become of a detected event (shared by the server and the Activity page's filter). */
export const EVENT_STATUSES = ["queued", "sending", "sent", "skipped", "dead_lettered", "cancelled"] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];

/** How each status reads to a merchant. A dead letter is an event Waypost stopped retrying. */
export const EVENT_STATUS_LABELS: Record<EventStatus, string> = {
  queued: "Queued",
  sending: "Sending",
  sent: "Sent",
  skipped: "Skipped",
  dead_lettered: "Dead-lettered",
  cancelled: "Cancelled",
};

export const statusLabel = (status: string) => EVENT_STATUS_LABELS[status as EventStatus] ?? status;
