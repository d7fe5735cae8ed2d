import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Badge, Card, EmptyState, IndexTable, Page, Text } from "@shopify/polaris";
import { recentWebhooks } from "../platform/webhook-receipts.server";
import { requireAdmin } from "../shops/admin-context.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireAdmin(request);
  return json({ timezone: shop.timezone, webhooks: await recentWebhooks(shop.id) });
}

const STATUS_TONE = { processed: "success", pending: "info", processing: "info", failed: "critical" } as const;

export default function Activity() {
  const { timezone, webhooks } = useLoaderData<typeof loader>();
  const formatTime = (iso: string) =>
    new Intl.DateTimeFormat("en-US", {
      month: "short", day: "numeric", year: "numeric", hour: "numeric", minute: "2-digit",
      timeZone: timezone, timeZoneName: "short",
    }).format(new Date(iso));

  return (
    <Page title="Activity" subtitle={`Times shown in ${timezone}`}>
      <Card padding="0">
        {webhooks.length === 0 ? (
          <EmptyState heading="Nothing has happened yet" image="">
            <Text as="p">
              Every order and fulfillment update from your store, and every event Waypost sends to Klaviyo,
              appears here with its status.
            </Text>
          </EmptyState>
        ) : (
          <IndexTable
            resourceName={{ singular: "update", plural: "updates" }}
            itemCount={webhooks.length}
            selectable={false}
            headings={[{ title: "Received" }, { title: "Update" }, { title: "Order" }, { title: "Status" }]}
          >
            {webhooks.map((webhook, index) => (
              <IndexTable.Row id={webhook.id} key={webhook.id} position={index}>
                <IndexTable.Cell>{formatTime(webhook.receivedAt)}</IndexTable.Cell>
                <IndexTable.Cell>{webhook.topic}</IndexTable.Cell>
                <IndexTable.Cell>{webhook.orderId ?? "—"}</IndexTable.Cell>
                <IndexTable.Cell>
                  <Badge tone={STATUS_TONE[webhook.status as keyof typeof STATUS_TONE]}>
                    {webhook.ignoredReason ? `ignored: ${webhook.ignoredReason}` : webhook.status}
                  </Badge>
                </IndexTable.Cell>
              </IndexTable.Row>
            ))}
          </IndexTable>
        )}
      </Card>
    </Page>
  );
}
