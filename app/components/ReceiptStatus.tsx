import { useFetcher } from "@remix-run/react";
import { Badge, Button, InlineStack, Text, Toast } from "@shopify/polaris";
import { useEffect, useState } from "react";

type Tone = "success" | "info" | "attention" | "critical" | undefined;

const STATE: Record<string, { label: string; tone: Tone }> = {
  processed: { label: "Processed", tone: "success" },
  ignored: { label: "Ignored", tone: undefined },
  waiting: { label: "Waiting", tone: "attention" },
  pending: { label: "Pending", tone: "info" },
  processing: { label: "Processing", tone: "info" },
  failed: { label: "Failed", tone: "critical" },
};

export interface ReceiptStatusProps {
  receiptId: string;
  status: string;
  reason: string | null;
  /** When a waiting or retrying receipt is tried again, already formatted in the shop's time zone. */
  nextTry: string | null;
}

/** A received webhook's state and why; a failed one can be retried from here. */
export function ReceiptStatus({ receiptId, status, reason, nextTry }: ReceiptStatusProps) {
  const state = STATE[status] ?? { label: status, tone: undefined };
  const retrying = status === "pending" && Boolean(reason);
  return (
    <InlineStack gap="200" blockAlign="center" wrap={false}>
      <Badge tone={retrying ? "warning" : state.tone}>{retrying ? "Retrying" : state.label}</Badge>
      {reason ? <Text as="span">{reason}</Text> : null}
      {nextTry ? (
        <Text as="span" tone="subdued">
          next try {nextTry}
        </Text>
      ) : null}
      {status === "failed" ? <RetryReceiptButton receiptId={receiptId} /> : null}
    </InlineStack>
  );
}

interface RetryResult {
  retried: boolean;
  error: string | null;
}

function RetryReceiptButton({ receiptId }: { receiptId: string }) {
  const fetcher = useFetcher<RetryResult>();
  const [toast, setToast] = useState<string | null>(null);
  useEffect(() => {
    if (fetcher.state === "idle" && fetcher.data) setToast(fetcher.data.error ?? "Waypost will try this update again");
  }, [fetcher.data, fetcher.state]);
  return (
    <>
      <Button
        size="slim"
        loading={fetcher.state !== "idle"}
        accessibilityLabel="Process this store update again"
        onClick={() => fetcher.submit({ intent: "retry_receipt", receiptId }, { method: "post" })}
      >
        Retry
      </Button>
      {toast ? <Toast content={toast} error={Boolean(fetcher.data?.error)} onDismiss={() => setToast(null)} /> : null}
    </>
  );
}
