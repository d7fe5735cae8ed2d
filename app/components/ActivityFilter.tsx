import { Form, Link } from "@remix-run/react";
import { Button, InlineGrid, InlineStack, Select, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { EVENT_CATALOG } from "../tracking/event-catalog";
import { EVENT_SOURCE_LABELS, EVENT_SOURCES } from "../tracking/event-source";
import { EVENT_STATUSES, statusLabel } from "../tracking/event-status";

export interface ActivityFilterValues {
  status?: string;
  event?: string;
  source?: string;
  q?: string;
  from?: string;
  to?: string;
  /** Set by links from counts elsewhere (one import's events, events since an instant): kept, and said. */
  import?: string;
  since?: string;
}

/** Status, event type, source, a search (order, email or tracking number) and a date range, as a GET form. */
export function ActivityFilter({
  values,
  timezone,
  formatTime,
}: {
  values: ActivityFilterValues;
  timezone: string;
  formatTime(iso: string): string;
}) {
  const [form, setForm] = useState<ActivityFilterValues>(values);
  const field = (name: keyof ActivityFilterValues) => ({
    name,
    value: form[name] ?? "",
    onChange: (value: string) => setForm((current) => ({ ...current, [name]: value })),
  });
  return (
    <Form method="get" role="search" aria-label="Filter events">
      <InlineGrid columns={{ xs: 1, sm: 2, md: 3, lg: 6 }} gap="300">
        <Select
          label="Status"
          {...field("status")}
          options={[
            { label: "All statuses", value: "" },
            ...EVENT_STATUSES.map((value) => ({ label: statusLabel(value), value })),
          ]}
        />
        <Select
          label="Event"
          {...field("event")}
          options={[
            { label: "All events", value: "" },
            ...EVENT_CATALOG.map((event) => ({ label: event.metric, value: event.key })),
          ]}
        />
        <Select
          label="Source"
          {...field("source")}
          options={[
            { label: "All sources", value: "" },
            ...EVENT_SOURCES.map((value) => ({ label: EVENT_SOURCE_LABELS[value], value })),
          ]}
        />
        <TextField label="Search" {...field("q")} autoComplete="off" placeholder="#1001, email or tracking number" />
        <TextField label={`Happened from (${timezone})`} type="date" {...field("from")} autoComplete="off" />
        <TextField label={`Happened to (${timezone})`} type="date" {...field("to")} autoComplete="off" />
      </InlineGrid>
      {values.import ? <input type="hidden" name="import" value={values.import} /> : null}
      {values.since ? <input type="hidden" name="since" value={values.since} /> : null}
      {values.import || values.since ? (
        <div style={{ marginTop: "var(--p-space-300)" }}>
          <Text as="p" tone="subdued">
            {[
              values.import ? "Showing the events of one order history import." : null,
              values.since ? `Showing events that happened since ${formatTime(values.since)}.` : null,
            ]
              .filter(Boolean)
              .join(" ")}
          </Text>
        </div>
      ) : null}
      <div style={{ marginTop: "var(--p-space-300)" }}>
        <InlineStack gap="200">
          <Button submit variant="primary">
            Filter
          </Button>
          <Link to="/app/activity">Clear filters</Link>
        </InlineStack>
      </div>
    </Form>
  );
}
