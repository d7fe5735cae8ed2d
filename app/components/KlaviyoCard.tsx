import type { FetcherWithComponents } from "@remix-run/react";
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
  Text,
  TextField,
} from "@shopify/polaris";
import { useEffect, useState } from "react";
import type { KlaviyoConnectionView } from "../klaviyo/connection-view";
import { KlaviyoStatusBadge } from "./KlaviyoStatusBadge";

export type IntegrationActionData = {
  authorizeUrl?: string;
  error?: string;
  connected?: string;
  disconnected?: boolean;
};

interface Props {
  connection: KlaviyoConnectionView;
  permissions: ReadonlyArray<{ scopes: readonly string[]; why: string }>;
  notice: { tone: "success" | "critical"; message: string } | null;
  fetcher: FetcherWithComponents<IntegrationActionData>;
}

export function KlaviyoCard({ connection, permissions, notice, fetcher }: Props) {
  const [apiKey, setApiKey] = useState("");
  const [confirmingDisconnect, setConfirmingDisconnect] = useState(false);
  const busy = fetcher.state !== "idle";
  const submit = (data: Record<string, string>) => fetcher.submit(data, { method: "post" });

  // Remix reloads the page's data after every action; only local form state needs resetting.
  useEffect(() => {
    if (fetcher.data?.connected || fetcher.data?.disconnected) {
      setApiKey("");
      setConfirmingDisconnect(false);
    }
  }, [fetcher.data]);

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
    <section aria-label="Klaviyo integration">
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
              {confirmingDisconnect ? (
                <Banner tone="warning" title="Disconnect Klaviyo?">
                  <BlockStack gap="200">
                    <p>Waypost stops sending events at once. Messages Klaviyo already queued still go out.</p>
                    <InlineStack gap="200">
                      <Button
                        tone="critical"
                        variant="primary"
                        loading={busy}
                        onClick={() => submit({ intent: "disconnect" })}
                      >
                        Disconnect Klaviyo
                      </Button>
                      <Button onClick={() => setConfirmingDisconnect(false)}>Cancel</Button>
                    </InlineStack>
                  </BlockStack>
                </Banner>
              ) : (
                <InlineStack gap="200">
                  {connection.status === "needs_reconnect" ? connectButton : null}
                  <Button tone="critical" onClick={() => setConfirmingDisconnect(true)}>
                    Disconnect
                  </Button>
                </InlineStack>
              )}
            </>
          )}
        </BlockStack>
      </Card>
    </section>
  );
}
