import { useFetcher } from "@remix-run/react";
import { Badge, BlockStack, Button, InlineStack, Link, Text } from "@shopify/polaris";
import type { EventKlaviyoFacts as Facts } from "../klaviyo/account-metrics";

const FLOW_STATUS: Record<string, { label: string; tone?: "success" | "attention" | "info" }> = {
  live: { label: "Live", tone: "success" },
  manual: { label: "Manual", tone: "attention" },
  draft: { label: "Draft", tone: "info" },
};

/**
 * Beside one event's toggle, what the merchant's Klaviyo says about it: the flows its metric
 * triggers (status, a link to each), a nudge to build one when an enabled event drives none,
 * and a warning when Klaviyo's own Shopify integration already has a metric of that name.
 */
export function EventKlaviyoFacts({
  metric,
  facts,
  enabled,
  flowBuilderUrl,
}: {
  metric: string;
  facts: Facts | undefined;
  enabled: boolean;
  flowBuilderUrl: string;
}) {
  if (!facts) return null;
  return (
    <BlockStack gap="100">
      {facts.shopifyMetricId ? (
        <Text as="p" tone="caution">
          {`Klaviyo's ${facts.shadowedBy ?? "Shopify integration"} already records “${metric}” in this account. Two metrics with one name confuse every flow and report, so Waypost keeps this event off unless you turn it on.`}
        </Text>
      ) : null}
      {facts.flows.length ? (
        <InlineStack gap="200" blockAlign="center" wrap>
          <Text as="span" variant="bodySm" tone="subdued">
            {facts.flows.length === 1 ? "Flow:" : "Flows:"}
          </Text>
          {facts.flows.map((flow) => {
            const status = FLOW_STATUS[flow.status] ?? { label: flow.status || "Unknown" };
            return (
              <InlineStack key={flow.id} gap="100" blockAlign="center">
                <Link url={flow.url} accessibilityLabel={`Open the flow ${flow.name} in Klaviyo`}>
                  {flow.name}
                </Link>
                <Badge tone={status.tone}>{status.label}</Badge>
              </InlineStack>
            );
          })}
        </InlineStack>
      ) : null}
      {enabled && facts.liveFlows === 0 ? (
        <Text as="p" variant="bodySm" tone="subdued">
          {facts.metricPresent
            ? "No live flow in Klaviyo is triggered by this event yet, so it reaches profiles but sends nothing. "
            : "Klaviyo has not received this metric yet; create it below, then build a flow on it. "}
          <Link url={flowBuilderUrl}>Build a flow in Klaviyo</Link>
        </Text>
      ) : null}
    </BlockStack>
  );
}

/** When the flows shown were read from Klaviyo, and a way to read them again now. */
export function KlaviyoFactsRefresh({ fetchedAt, timeZone }: { fetchedAt: string | null; timeZone: string }) {
  const fetcher = useFetcher();
  if (!fetchedAt) return null;
  const at = new Intl.DateTimeFormat("en-US", { timeZone, hour: "numeric", minute: "2-digit" }).format(
    new Date(fetchedAt),
  );
  return (
    <fetcher.Form method="post">
      <input type="hidden" name="intent" value="refresh_klaviyo" />
      <InlineStack gap="200" blockAlign="center">
        <Text as="span" variant="bodySm" tone="subdued">{`Flows and metrics as Klaviyo had them at ${at}.`}</Text>
        <Button variant="plain" submit loading={fetcher.state !== "idle"}>
          Refresh from Klaviyo
        </Button>
      </InlineStack>
    </fetcher.Form>
  );
}
