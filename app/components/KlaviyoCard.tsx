import { useRevalidator, type FetcherWithComponents } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  Form,
  FormLayout,
  InlineStack,
  List,
  Modal,
  Text,
  TextField,
} from "@shopify/polaris";
import { useEffect, useRef, useState } from "react";
import type { KlaviyoConnectionView } from "../klaviyo/connection-view";
import { KlaviyoStatusBadge } from "./KlaviyoStatusBadge";
import { showToast } from "./toast";

export type IntegrationActionData = {
  authorizeUrl?: string;
  error?: string;
  connected?: string;
  disconnected?: boolean;
};

interface Props {
  connection: KlaviyoConnectionView;
  /** What a disconnect would stop now: the modal states it with these numbers. */
  disconnect: { queuedEvents: number; importRunning: boolean };
  permissions: ReadonlyArray<{ scopes: readonly string[]; why: string }>;
  notice: { tone: "success" | "critical"; message: string } | null;
  fetcher: FetcherWithComponents<IntegrationActionData>;
}

export function KlaviyoCard({ connection, disconnect, permissions, notice, fetcher }: Props) {
  const [apiKey, setApiKey] = useState("");
  const [confirmingDisconnect, setConfirmingDisconnect] = useState(false);
  const card = useRef<HTMLElement>(null);
  const disconnectButton = useRef<HTMLDivElement>(null);
  const revalidator = useRevalidator();
  const busy = fetcher.state !== "idle";
  const submit = (data: Record<string, string>) => fetcher.submit(data, { method: "post" });

  // Remix reloads the page's data after every action; only local form state needs resetting.
  useEffect(() => {
    if (fetcher.state !== "idle") return;
    if (fetcher.data?.connected) setApiKey("");
    if (fetcher.data?.disconnected) {
      setConfirmingDisconnect(false);
      showToast("Klaviyo disconnected");
      // The Disconnect button is gone: keep the keyboard in the card, on its first action (Connect).
      card.current?.querySelector<HTMLElement>("button, a[href]")?.focus();
    }
  }, [fetcher.state, fetcher.data]);

  const openDisconnect = () => {
    setConfirmingDisconnect(true);
    // The queue moves on while the page is open: read the numbers again for the modal.
    if (revalidator.state === "idle") revalidator.revalidate();
  };

  const connectButton = connection.oauthAvailable ? (
    <Button
      variant="primary"
      loading={busy && fetcher.formData?.get("intent") === "connect"}
      onClick={() => submit({ intent: "connect" })}
    >
      {connection.status === "not_connected" ? "Connect" : "Reconnect"}
    </Button>
  ) : null;

  return (
    <section aria-label="Klaviyo integration" ref={card}>
      <Card>
        <BlockStack gap="300">
          <InlineStack gap="200" blockAlign="center">
            <Text as="h3" variant="headingSm">
              Klaviyo
            </Text>
            <KlaviyoStatusBadge status={connection.status} />
          </InlineStack>
          {notice ? (
            <Banner
              tone={notice.tone}
              title={notice.tone === "success" ? "Klaviyo connected" : "Klaviyo was not connected"}
              action={
                notice.tone === "critical" && connection.oauthAvailable
                  ? { content: "Try again", onAction: () => submit({ intent: "connect" }) }
                  : undefined
              }
            >
              <p>{notice.message}</p>
            </Banner>
          ) : null}
          {fetcher.data?.error ? (
            <Banner tone="critical">
              <p>{fetcher.data.error}</p>
            </Banner>
          ) : null}

          {connection.status === "not_connected" ? (
            <>
              <Text as="p" tone="subdued">
                Sends order and shipment events to your Klaviyo account and keeps customer profiles up to date, so your
                flows can email and text customers at every step of delivery. Waypost asks Klaviyo for permission to:
              </Text>
              <List>
                {permissions.map((permission) => (
                  <List.Item key={permission.why}>{`${permission.why} (${permission.scopes.join(", ")})`}</List.Item>
                ))}
              </List>
              <InlineStack gap="200">{connectButton}</InlineStack>
              <Box paddingBlockStart="200">
                <Form onSubmit={() => submit({ intent: "private_key", apiKey })}>
                  <FormLayout>
                    <TextField
                      label="Or connect with a private API key"
                      type="password"
                      value={apiKey}
                      onChange={setApiKey}
                      autoComplete="off"
                      placeholder="pk_…"
                      helpText="Klaviyo > Settings > API keys. The key is stored encrypted."
                    />
                    <Button
                      submit
                      disabled={!apiKey.trim()}
                      loading={busy && fetcher.formData?.get("intent") === "private_key"}
                    >
                      Connect with API key
                    </Button>
                  </FormLayout>
                </Form>
              </Box>
            </>
          ) : (
            <>
              <Text as="p">
                {`Connected to ${connection.accountName} (${connection.accountId}) with ${connection.method === "oauth" ? "Klaviyo sign-in" : "a private API key"}.`}
              </Text>
              {connection.status === "needs_reconnect" ? (
                <Banner tone="critical" title="Klaviyo needs to be reconnected">
                  <p>
                    {connection.reason ?? "Klaviyo stopped accepting Waypost's access."} Events are held, not lost,
                    until you reconnect.
                  </p>
                </Banner>
              ) : null}
              <InlineStack gap="200">
                {connection.status === "needs_reconnect" ? connectButton : null}
                <div ref={disconnectButton}>
                  <Button tone="critical" onClick={openDisconnect}>
                    Disconnect
                  </Button>
                </div>
              </InlineStack>
              <Modal
                open={confirmingDisconnect}
                onClose={() => setConfirmingDisconnect(false)}
                activator={disconnectButton}
                title="Disconnect Klaviyo?"
                primaryAction={{
                  content: "Disconnect Klaviyo",
                  destructive: true,
                  loading: busy,
                  onAction: () => submit({ intent: "disconnect" }),
                }}
                secondaryActions={[{ content: "Cancel", onAction: () => setConfirmingDisconnect(false) }]}
              >
                <Modal.Section>
                  <BlockStack gap="200">
                    <Text as="p">{`Waypost stops sending events to ${connection.accountName} at once.`}</Text>
                    <List>
                      {disconnectConsequences(disconnect).map((line) => (
                        <List.Item key={line}>{line}</List.Item>
                      ))}
                    </List>
                    <Text as="p" tone="subdued">
                      Messages Klaviyo already queued for your flows still go out.
                    </Text>
                  </BlockStack>
                </Modal.Section>
              </Modal>
            </>
          )}
        </BlockStack>
      </Card>
    </section>
  );
}

/** The modal's consequences, with the numbers of this moment. */
function disconnectConsequences({ queuedEvents, importRunning }: Props["disconnect"]): string[] {
  return [
    ...(importRunning ? ["The order history import in progress is cancelled."] : []),
    queuedEvents > 0
      ? `${queuedEvents.toLocaleString("en-US")} queued event${queuedEvents === 1 ? " is" : "s are"} cancelled and won't be sent after you reconnect.`
      : "No events are waiting to be sent, so none are cancelled.",
  ];
}
