import { BlockStack, Card, Link, List, Page, Text } from "@shopify/polaris";
import type { ReactNode } from "react";
import { EVENT_CATALOG } from "../tracking/event-catalog";
import { EVENT_STATUSES, statusLabel } from "../tracking/event-status";

const STATUS_MEANING: Record<(typeof EVENT_STATUSES)[number], string> = {
  queued: "Waiting its turn to go to Klaviyo.",
  sent: "Klaviyo accepted it; flows that use this event can run.",
  skipped:
    "Not sent, with the reason beside it (the event is turned off, Go Live is off, or the order has no email or phone number).",
  dead_lettered: "Klaviyo refused it or stayed unreachable through every retry. Replay sends it once more.",
  cancelled: "Not sent because Klaviyo was disconnected. It is not sent after reconnecting.",
};

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section id={id} aria-labelledby={`${id}-title`}>
      <Card>
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd" id={`${id}-title`}>
            {title}
          </Text>
          {children}
        </BlockStack>
      </Card>
    </section>
  );
}

/** How Waypost works, in the merchant's words: the page every other page's help link opens. */
export default function Help() {
  return (
    <Page title="Help" backAction={{ content: "Account Settings", url: "/app/account-settings" }}>
      <BlockStack gap="400">
        <Section id="getting-started" title="Getting started">
          <List type="number">
            <List.Item>
              Connect Klaviyo in <Link url="/app/integrations">Account Settings &gt; Integrations</Link>.
            </List.Item>
            <List.Item>
              Choose the events to send and turn on Go Live in <Link url="/app/track-settings">Track Settings</Link>.
            </List.Item>
            <List.Item>Send a test event to a profile of yours and build a Klaviyo flow on its metric.</List.Item>
          </List>
        </Section>
        <Section id="integrations" title="Connecting Klaviyo">
          <Text as="p">
            Connect signs in to Klaviyo and asks for the permissions listed on the Integrations page; a private API key
            works too. Disconnecting stops all sending at once: a running import and every queued event are cancelled
            and are not sent after you reconnect.
          </Text>
        </Section>
        <Section id="track-settings" title="Events and Go Live">
          <Text as="p">
            Each event reaches Klaviyo as a metric of the same name, which a flow can use as its trigger. While Go Live
            is off, Waypost records events but sends nothing. Events carry store_domain, so a Klaviyo account shared by
            several stores can filter a flow to one store.
          </Text>
          <List>
            {EVENT_CATALOG.map((event) => (
              <List.Item key={event.key}>{`${event.metric}: ${event.description}`}</List.Item>
            ))}
          </List>
        </Section>
        <Section id="activity" title="Event statuses">
          <List>
            {EVENT_STATUSES.map((status) => (
              <List.Item key={status}>{`${statusLabel(status)}: ${STATUS_MEANING[status]}`}</List.Item>
            ))}
          </List>
        </Section>
      </BlockStack>
    </Page>
  );
}
