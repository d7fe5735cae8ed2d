import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Badge, BlockStack, Card, InlineStack, Page, Text } from "@shopify/polaris";
import { requireAdmin } from "../shops/admin-context.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireAdmin(request);
  return json({ shopName: shop.name });
}

export default function Integrations() {
  const { shopName } = useLoaderData<typeof loader>();
  return (
    <Page title="Integrations" subtitle={`Where ${shopName} sends its shipping events`}>
      <BlockStack gap="400">
        <Text as="h2" variant="headingMd">
          Marketing
        </Text>
        <Card>
          <BlockStack gap="200">
            <InlineStack gap="200" blockAlign="center">
              <Text as="h3" variant="headingSm">
                Klaviyo
              </Text>
              <Badge>Not connected</Badge>
            </InlineStack>
            <Text as="p" tone="subdued">
              Sends order and shipment events to your Klaviyo account and keeps customer profiles up to date,
              so your flows can email and text customers at every step of delivery.
            </Text>
          </BlockStack>
        </Card>
      </BlockStack>
    </Page>
  );
}
