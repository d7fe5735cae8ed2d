import { Form, Link } from "@remix-run/react";
import { Button, InlineGrid, InlineStack, Select, TextField } from "@shopify/polaris";
import { useState } from "react";
import { EVENT_CATALOG } from "../tracking/event-catalog";
import { EVENT_STATUSES, statusLabel } from "../tracking/event-status";

export interface ActivityFilterValues {
  status?: string;
  event?: string;
  q?: string;
  from?: string;
  to?: string;
}

/** Status, event type, a search (order, email or tracking number) and a date range, as a GET form. */
export function ActivityFilter({ values, timezone }: { values: ActivityFilterValues; timezone: string }) {
  const [form, setForm] = useState<ActivityFilterValues>(values);
  const field = (name: keyof ActivityFilterValues) => ({
    name,
    value: form[name] ?? "",
    onChange: (value: string) => setForm((current) => ({ ...current, [name]: value })),
  });
  return (
    <Form method="get" role="search" aria-label="Filter events">
      <InlineGrid columns={{ xs: 1, sm: 2, md: 3, lg: 5 }} gap="300">
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
        <TextField label="Search" {...field("q")} autoComplete="off" placeholder="#1001, email or tracking number" />
        <TextField label={`From (${timezone})`} type="date" {...field("from")} autoComplete="off" />
        <TextField label={`To (${timezone})`} type="date" {...field("to")} autoComplete="off" />
      </InlineGrid>
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
