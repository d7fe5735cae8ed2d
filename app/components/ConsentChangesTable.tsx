import { Badge, IndexTable } from "@shopify/polaris";

export interface ConsentChangeRow {
  id: string;
  channel: string;
  email: string | null;
  phone: string | null;
  source: string;
  occurredAt: string;
  status: string;
  result: string | null;
}

const STATUS_BADGE: Record<string, { tone: "success" | "attention" | "critical" | "info"; label: string }> = {
  applied: { tone: "success", label: "Done in Shopify" },
  unmatched: { tone: "attention", label: "No matching customer" },
  failed: { tone: "critical", label: "Failed" },
  pending: { tone: "info", label: "Waiting" },
};

/** Every unsubscribe Klaviyo reported: the customer, the channel, when, and what became of it in Shopify. */
export function ConsentChangesTable({
  changes,
  formatTime,
}: {
  changes: ConsentChangeRow[];
  formatTime: (iso: string) => string;
}) {
  return (
    <IndexTable
      resourceName={{ singular: "consent change", plural: "consent changes" }}
      itemCount={changes.length}
      selectable={false}
      headings={[{ title: "When" }, { title: "Customer" }, { title: "Channel" }, { title: "Result in Shopify" }]}
    >
      {changes.map((change, index) => {
        const badge = Object.hasOwn(STATUS_BADGE, change.status) ? STATUS_BADGE[change.status] : STATUS_BADGE.pending;
        return (
          <IndexTable.Row id={change.id} key={change.id} position={index}>
            <IndexTable.Cell>{formatTime(change.occurredAt)}</IndexTable.Cell>
            <IndexTable.Cell>
              {(change.channel === "sms" ? change.phone : change.email) ?? "(Klaviyo profile)"}
            </IndexTable.Cell>
            <IndexTable.Cell>{change.channel === "sms" ? "SMS unsubscribe" : "Email unsubscribe"}</IndexTable.Cell>
            <IndexTable.Cell>
              <Badge tone={badge.tone}>{badge.label}</Badge> {change.result ?? ""}
            </IndexTable.Cell>
          </IndexTable.Row>
        );
      })}
    </IndexTable>
  );
}
