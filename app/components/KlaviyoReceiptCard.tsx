import { useFetcher } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, DataTable, InlineStack, List, Text } from "@shopify/polaris";
import type { ReceiptCheck } from "../jobs/klaviyo-reads/receipt-check-view";
import { mismatchSummary } from "../klaviyo/receipt-comparison";
import { KeyboardScrollable } from "./KeyboardScrollable";

const dayLabel = (day: string) =>
  new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", timeZone: "UTC" }).format(
    new Date(`${day}T12:00:00Z`),
  );

/**
 * Klaviyo confirms receipt: per event and day (the store's time zone), what Waypost sent beside
 * what Klaviyo counted, each day marked matching or not, and the likely cause of each difference.
 * Klaviyo is asked again only when the merchant presses "Check with Klaviyo".
 */
export function KlaviyoReceiptCard({ check, timezone }: { check: ReceiptCheck; timezone: string }) {
  const fetcher = useFetcher<{ receiptError?: string | null }>();
  if (!check.connected) return null;
  const fetchedAt = check.events.map((event) => event.fetchedAt).sort()[0];
  const error = fetcher.state === "idle" ? (fetcher.data?.receiptError ?? check.error) : null;
  const mismatched = check.events.filter((event) => !event.matching);
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            Klaviyo confirms receipt
          </Text>
          <fetcher.Form method="post">
            <input type="hidden" name="intent" value="check_klaviyo_counts" />
            <Button submit loading={fetcher.state !== "idle"}>
              Check with Klaviyo
            </Button>
          </fetcher.Form>
        </InlineStack>
        <Text as="p" tone="subdued">
          {fetchedAt
            ? `Events Waypost sent beside the events Klaviyo counted, per day in ${timezone}, as of ${new Intl.DateTimeFormat("en-US", { timeZone: timezone, dateStyle: "medium", timeStyle: "short" }).format(new Date(fetchedAt))}.`
            : `Ask Klaviyo for its daily counts of each event, to compare with what Waypost sent, per day in ${timezone}.`}
        </Text>
        {error ? (
          <Banner tone="warning" title="Klaviyo's counts could not be read just now">
            <p>{error}</p>
          </Banner>
        ) : null}
        {check.events.length ? (
          mismatched.length ? (
            <Banner tone="warning" title="Some days differ">
              <List>
                {mismatched.flatMap((event) =>
                  mismatchSummary(event, dayLabel).map((line) => (
                    <List.Item key={`${event.eventKey}:${line}`}>{`${event.metric}, ${line}.`}</List.Item>
                  )),
                )}
              </List>
            </Banner>
          ) : (
            <Banner tone="success">
              <p>Every day matches: Klaviyo counted each event Waypost sent.</p>
            </Banner>
          )
        ) : null}
        {check.events.length ? (
          <KeyboardScrollable label="Events sent by Waypost and counted by Klaviyo, per day">
            <DataTable
              columnContentTypes={["text", ...check.days.map(() => "text" as const)]}
              headings={["Event (Waypost / Klaviyo)", ...check.days.map(dayLabel)]}
              rows={check.events.map((event) => [
                event.metric,
                ...event.days.map((day) => (
                  <InlineStack key={day.day} gap="100" blockAlign="center" wrap={false}>
                    <span>{`${day.waypost} / ${day.klaviyo}`}</span>
                    {day.matches ? <Badge tone="success">Match</Badge> : <Badge tone="warning">Differs</Badge>}
                  </InlineStack>
                )),
              ])}
            />
          </KeyboardScrollable>
        ) : null}
        {check.notInKlaviyo.length ? (
          <Text as="p" tone="subdued">
            {`Not in Klaviyo yet (no event received): ${check.notInKlaviyo.join(", ")}. Create them from Track Settings.`}
          </Text>
        ) : null}
      </BlockStack>
    </Card>
  );
}
