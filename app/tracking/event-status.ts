/** What can become of a detected event (shared by the server and the Activity page's filter). */
export const EVENT_STATUSES = ["queued", "sent", "skipped", "failed", "cancelled"] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];
