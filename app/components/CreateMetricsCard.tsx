import { useFetcher } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, InlineStack, List, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import type { SampleMetricsResult } from "../jobs/klaviyo-reads/sample-metrics-result";

/**
 * "Create these metrics in Klaviyo": one sample of each enabled event, for a test profile the
 * merchant names, recorded without triggering any flow, so flows can be built before the first order.
 */
export function CreateMetricsCard({
  klaviyoConnected,
  enabledCount,
}: {
  klaviyoConnected: boolean;
  enabledCount: number;
}) {
  const fetcher = useFetcher<{ createMetrics?: SampleMetricsResult }>();
  const [email, setEmail] = useState("");
  const result = fetcher.state === "idle" ? fetcher.data?.createMetrics : undefined;
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Create these metrics in Klaviyo
        </Text>
        <Text as="p" tone="subdued">
          Klaviyo lists a metric, and lets you build a flow on it, only once it has received one event. This sends one
          sample of each enabled event for a test profile you name, marked as history (backfill) so no flow sends
          anything.
        </Text>
        {result?.ok ? (
          <Banner tone="success" title={`Klaviyo accepted ${result.sent} sample events for ${result.email}`}>
            <List>
              {result.metrics.map((entry) => (
                <List.Item key={entry.metric}>
                  <InlineStack gap="200" blockAlign="center">
                    <span>{entry.metric}</span>
                    {entry.present ? (
                      <Badge tone="success">In Klaviyo</Badge>
                    ) : (
                      <Badge tone="attention">Not listed yet: Klaviyo may take a minute</Badge>
                    )}
                  </InlineStack>
                </List.Item>
              ))}
            </List>
          </Banner>
        ) : result ? (
          <Banner tone="critical" title="The metrics were not created">
            <p>{result.message}</p>
          </Banner>
        ) : null}
        <fetcher.Form method="post">
          <input type="hidden" name="intent" value="create_metrics" />
          <InlineStack gap="300" blockAlign="end" wrap>
            <TextField
              label="Profile email for the sample events"
              name="email"
              type="email"
              value={email}
              onChange={setEmail}
              autoComplete="email"
              placeholder="you@yourstore.com"
              disabled={!klaviyoConnected}
            />
            <Button
              disabled={!klaviyoConnected || !email || enabledCount === 0}
              loading={fetcher.state !== "idle"}
              submit
            >
              {`Create ${enabledCount} metric${enabledCount === 1 ? "" : "s"} in Klaviyo`}
            </Button>
          </InlineStack>
        </fetcher.Form>
      </BlockStack>
    </Card>
  );
}
