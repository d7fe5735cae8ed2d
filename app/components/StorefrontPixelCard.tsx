import type { FetcherWithComponents } from "@remix-run/react";
import { Badge, BlockStack, Button, Card, InlineStack, Text } from "@shopify/polaris";
import type { StorefrontPixelView } from "../platform/storefront-pixel";

const BADGES = {
  connected: { tone: "success", label: "Connected" },
  not_synced: { tone: undefined, label: "Not connected yet" },
  missing_scope: { tone: "warning", label: "Needs permission" },
  failed: { tone: "critical", label: "Not connected" },
} as const;

/** Waypost's web pixel on the store's storefront: whether Shopify has it, and with which events. */
export function StorefrontPixelCard({
  pixel,
  fetcher,
  demoStorefrontUrl,
}: {
  pixel: StorefrontPixelView;
  fetcher: FetcherWithComponents<unknown>;
  /** The demo's own storefront, where the pixel can be tried; null outside the demo. */
  demoStorefrontUrl: string | null;
}) {
  const badge = BADGES[pixel.status];
  const events = pixel.enabledEvents.length;
  return (
    <Card>
      <BlockStack gap="200">
        <InlineStack gap="200" blockAlign="center">
          <Text as="h3" variant="headingSm">
            Storefront pixel
          </Text>
          <Badge tone={badge.tone}>{badge.label}</Badge>
        </InlineStack>
        <Text as="p">
          {pixel.status === "connected"
            ? `Storefront pixel: connected. It sends ${events === 0 ? "no events yet: turn them on under Storefront activity in Track Settings" : `${events} storefront event${events === 1 ? "" : "s"}`}, only for visitors whose consent allows it.`
            : "Waypost's web pixel sends shopper activity from your storefront (product views, carts, checkouts) to Klaviyo, only for visitors whose consent allows it."}
        </Text>
        {pixel.detail ? (
          <Text as="p" tone={pixel.status === "missing_scope" ? "caution" : "critical"}>
            {pixel.detail}
          </Text>
        ) : null}
        {pixel.status === "connected" && demoStorefrontUrl ? (
          <InlineStack>
            <Button url={demoStorefrontUrl} target="_blank">
              Open the demo storefront
            </Button>
          </InlineStack>
        ) : null}
        {pixel.status === "connected" ? null : (
          <fetcher.Form method="post">
            <input type="hidden" name="intent" value="sync_pixel" />
            <Button submit loading={fetcher.state !== "idle"}>
              Connect the storefront pixel
            </Button>
          </fetcher.Form>
        )}
      </BlockStack>
    </Card>
  );
}
