import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BlockStack, Card, InlineStack, Link, Page, Text } from "@shopify/polaris";
import { KlaviyoStatusBadge } from "../components/KlaviyoStatusBadge";
import { klaviyoConnectionView } from "../klaviyo/connection.server";
import { requireAdmin } from "../shops/admin-context.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireAdmin(request);
  const connection = await klaviyoConnectionView(shop.id);
  return json({ klaviyoStatus: connection.status });
}

/** The settings of the store's Waypost account, one card per section; Integrations is the first. */
export default function AccountSettings() {
  const { klaviyoStatus } = useLoaderData<typeof loader>();
  return (
    <Page title="Account Settings">
      <BlockStack gap="400">
        <Card>
          <BlockStack gap="200">
            <Text as="h2" variant="headingMd">
              <Link url="/app/integrations" removeUnderline>
                Integrations
              </Link>
            </Text>
            <Text as="p" tone="subdued">
              Connect the Klaviyo account your store&apos;s shipping events go to.
            </Text>
            <InlineStack gap="200" blockAlign="center">
              <Text as="span">Klaviyo</Text>
              <KlaviyoStatusBadge status={klaviyoStatus} />
            </InlineStack>
          </BlockStack>
        </Card>
        <Card>
          <BlockStack gap="200">
            <Text as="h2" variant="headingMd">
              <Link url="/app/help" removeUnderline>
                Help
              </Link>
            </Text>
            <Text as="p" tone="subdued">
              How Waypost works, what each event means in Klaviyo, and what to do when an event was not sent.
            </Text>
          </BlockStack>
        </Card>
      </BlockStack>
    </Page>
  );
}
