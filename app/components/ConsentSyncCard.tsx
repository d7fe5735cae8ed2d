import { Banner, BlockStack, Card, Checkbox, Text } from "@shopify/polaris";
import { useInstantToggle } from "./use-instant-toggle";

export interface ConsentSyncState {
  enabled: boolean;
  mode: "webhook" | "poll";
  modeReason: string | null;
  polledAt: string | null;
  pollError: string | null;
}

/**
 * Consent sync's toggle (off by default): when a customer unsubscribes from email or SMS in
 * Klaviyo, Waypost marks their Shopify customer unsubscribed for that channel. Saved at once.
 */
export function ConsentSyncCard({ sync, klaviyoConnected }: { sync: ConsentSyncState; klaviyoConnected: boolean }) {
  const toggle = useInstantToggle<{ consentSync?: ConsentSyncState }>("consent_sync", sync.enabled);
  const shown = toggle.answer?.consentSync ?? sync;
  const { pending } = toggle;
  const checked = pending ? toggle.checked : shown.enabled;
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingMd">
          Unsubscribes back to Shopify
        </Text>
        <Checkbox
          label="Mark customers unsubscribed in Shopify when they unsubscribe in Klaviyo"
          helpText="Email and SMS each on their own: an unsubscribe from Klaviyo's email sets the customer's email marketing to unsubscribed in Shopify, and likewise for SMS. Each change is listed in Activity."
          checked={checked}
          disabled={!klaviyoConnected || pending}
          onChange={toggle.set}
        />
        {shown.enabled ? (
          <Text as="p" tone="subdued">
            {shown.mode === "webhook"
              ? "Klaviyo tells Waypost of each unsubscribe as it happens (a webhook registered in your account)."
              : (shown.modeReason ?? "Waypost reads Klaviyo's unsubscribes every 5 minutes.")}
          </Text>
        ) : null}
        {shown.enabled && shown.pollError ? (
          <Banner tone="warning" title="Klaviyo's unsubscribes could not be read just now">
            <p>{shown.pollError}</p>
          </Banner>
        ) : null}
      </BlockStack>
    </Card>
  );
}
