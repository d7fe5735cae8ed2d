import { useFetcher, useRevalidator } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Button,
  Card,
  Checkbox,
  InlineStack,
  ProgressBar,
  Text,
  TextField,
} from "@shopify/polaris";
import { useEffect, useState } from "react";
import type { BackfillProgress } from "../jobs/backfill/progress";
import { EVENT_STATUS } from "../tracking/event-status";
import { CountLink } from "./CountLink";

const STATUS_TONE = {
  running: "info",
  paused: "attention",
  completed: "success",
  cancelled: undefined,
  failed: "critical",
} as const;
const count = (value: number) => value.toLocaleString("en-US");

function timeLeft(seconds: number | null) {
  if (seconds === null) return "estimating time left";
  if (seconds < 60) return "less than a minute left";
  return `about ${Math.round(seconds / 60)} min left`;
}

/**
 * Import order history into Klaviyo: choose the window and whether flows may fire, then watch
 * it go, with pause, resume and cancel. The page refreshes itself while an import runs.
 */
export function BackfillCard({
  backfill,
  klaviyoConnected,
  defaultDays,
}: {
  backfill: BackfillProgress | null;
  klaviyoConnected: boolean;
  defaultDays: number;
}) {
  const fetcher = useFetcher<{ backfillError?: string }>();
  const revalidator = useRevalidator();
  const [days, setDays] = useState(String(defaultDays));
  const [triggerFlows, setTriggerFlows] = useState(false);
  const active = backfill?.status === "running" || backfill?.status === "paused";

  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => revalidator.state === "idle" && revalidator.revalidate(), 1500);
    return () => clearInterval(timer);
  }, [active, revalidator]);

  const submit = (intent: string, fields: Record<string, string> = {}) =>
    fetcher.submit({ intent, ...fields }, { method: "post" });
  const error = fetcher.state === "idle" ? fetcher.data?.backfillError : undefined;

  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Import order history
        </Text>
        <Text as="p" tone="subdued">
          Sends the events of past orders to Klaviyo, so segments and reports include them. Events Waypost already sent
          are never sent again.
        </Text>
        {error ? <Banner tone="critical">{error}</Banner> : null}
        {backfill ? (
          <BlockStack gap="200">
            <InlineStack gap="200" blockAlign="center">
              <Text as="h3" variant="headingSm">{`Last ${backfill.windowDays} days`}</Text>
              <Badge tone={STATUS_TONE[backfill.status as keyof typeof STATUS_TONE]}>
                {backfill.status[0].toUpperCase() + backfill.status.slice(1)}
              </Badge>
            </InlineStack>
            <ProgressBar
              progress={backfill.percent}
              tone={backfill.status === "failed" ? "critical" : "primary"}
              ariaLabelledBy="backfill-progress"
            />
            <Text as="p" id="backfill-progress">
              {`${backfill.percent}% · ${count(backfill.ordersRead)} of ${count(backfill.ordersTotal ?? backfill.ordersRead)} orders read · ${count(backfill.eventsSent)} of ${count(backfill.eventsFound)} events sent` +
                (backfill.status === "running" ? ` · ${timeLeft(backfill.secondsLeft)}` : "")}
            </Text>
            <InlineStack gap="200" wrap>
              <Text as="span">See this import&apos;s events in Activity:</Text>
              <CountLink
                count={backfill.eventsSent}
                text="sent"
                filter={{ import: backfill.id, status: EVENT_STATUS.sent }}
                context="by this import"
              />
              <CountLink
                count={backfill.eventsSkipped}
                text="skipped"
                filter={{ import: backfill.id, status: EVENT_STATUS.skipped }}
                context="by this import"
              />
              <CountLink
                count={backfill.eventsFailed}
                text="refused by Klaviyo"
                filter={{ import: backfill.id, status: EVENT_STATUS.dead_lettered }}
                context="in this import"
              />
            </InlineStack>
            {backfill.eventsSkipped ? (
              <Text as="p" tone="subdued">
                Skipped: the event is turned off, or the order has no email or phone number. Activity gives the reason
                for each; a later import sends those you turn on.
              </Text>
            ) : null}
            {backfill.eventsFailed ? (
              <Text as="p" tone="critical">
                Events refused by Klaviyo can be replayed from Activity.
              </Text>
            ) : null}
            {backfill.error ? (
              <Banner tone={backfill.status === "failed" ? "critical" : "info"}>{backfill.error}</Banner>
            ) : null}
            {active ? (
              <InlineStack gap="200">
                {backfill.status === "running" ? (
                  <Button onClick={() => submit("backfill_pause", { backfillId: backfill.id })}>Pause import</Button>
                ) : (
                  <Button onClick={() => submit("backfill_resume", { backfillId: backfill.id })}>Resume import</Button>
                )}
                <Button
                  tone="critical"
                  variant="plain"
                  onClick={() => submit("backfill_cancel", { backfillId: backfill.id })}
                >
                  Cancel import
                </Button>
              </InlineStack>
            ) : null}
          </BlockStack>
        ) : null}
        {active ? null : (
          <InlineStack gap="300" blockAlign="end" wrap>
            <TextField
              label="Days of history"
              type="number"
              min={1}
              max={90}
              value={days}
              onChange={setDays}
              autoComplete="off"
              helpText="1 to 90 days"
              disabled={!klaviyoConnected}
            />
            <Checkbox
              label="Let these events trigger flows"
              checked={triggerFlows}
              onChange={setTriggerFlows}
              disabled={!klaviyoConnected}
              helpText="Off: Klaviyo records them on each profile without sending any flow email or SMS."
            />
            <Button
              variant="primary"
              disabled={!klaviyoConnected}
              loading={fetcher.state !== "idle"}
              onClick={() => submit("backfill_start", { days, triggerFlows: triggerFlows ? "on" : "off" })}
            >
              Start import
            </Button>
          </InlineStack>
        )}
      </BlockStack>
    </Card>
  );
}
