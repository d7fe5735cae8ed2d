import { BlockStack, Card, Text } from "@shopify/polaris";

/** When Waypost last read the store's changed orders from Shopify, and what webhooks had missed. */
export interface ShopifyCheck {
  lastCheckedAt: string | null;
  recoveredEvents: number;
  lastError: string | null;
}

const count = (value: number) => value.toLocaleString("en-US");

/**
 * The reconciliation as the merchant sees it: Waypost checks with Shopify on its own for order
 * updates whose webhook never arrived, and says when it last did and how many events that recovered.
 */
export function ShopifyCheckCard({ check, timezone }: { check: ShopifyCheck; timezone: string }) {
  const checkedAt = check.lastCheckedAt
    ? new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "short", timeZone: timezone }).format(
        new Date(check.lastCheckedAt),
      )
    : null;
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingMd">
          Checks with Shopify
        </Text>
        <Text as="p">
          {checkedAt ? `Last checked ${checkedAt}` : "Not checked yet: the first check runs within half an hour."}
        </Text>
        <Text as="p" tone="subdued">
          {check.recoveredEvents === 0
            ? "No missed updates recovered: every change so far came by webhook."
            : `${count(check.recoveredEvents)} missed update${check.recoveredEvents === 1 ? "" : "s"} recovered: events whose webhook never arrived.`}
        </Text>
        {check.lastError ? (
          <Text as="p" tone="caution">
            {`The latest check could not finish (${check.lastError}); the next one goes on from where it stopped.`}
          </Text>
        ) : null}
      </BlockStack>
    </Card>
  );
}
