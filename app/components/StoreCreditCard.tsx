import { Banner, BlockStack, Card, Checkbox, Text } from "@shopify/polaris";
import { useInstantToggle } from "./use-instant-toggle";

/**
 * Store credit on Klaviyo profiles: a toggle of its own (saved at once, apart from the page's
 * save bar), and a note when the merchant has not granted Waypost the scope to read it.
 */
export function StoreCreditCard({ enabled, scopeGranted }: { enabled: boolean; scopeGranted: boolean }) {
  const { checked: on, pending, set } = useInstantToggle("store_credit", enabled);
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingMd">
          Cashback balance on profiles
        </Text>
        <Checkbox
          label="Send each customer's store-credit balance to Klaviyo"
          checked={on}
          onChange={set}
          disabled={pending}
          helpText="Adds waypost_store_credit_balance and waypost_store_credit_currency to the customer's Klaviyo profile, read from Shopify when an order of theirs is processed and otherwise once a day."
        />
        {on && !scopeGranted ? (
          <Banner tone="warning" title="Waypost cannot read store credit yet">
            <p>
              This store has not granted Waypost access to store-credit accounts (read_store_credit_accounts), so no
              balance is sent. Approve the updated access request for Waypost in your Shopify admin (Settings &gt; Apps)
              and balances follow from then on.
            </p>
          </Banner>
        ) : null}
      </BlockStack>
    </Card>
  );
}
