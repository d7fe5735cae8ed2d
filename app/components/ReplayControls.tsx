import { useFetcher } from "@remix-run/react";
import { Banner, Button, Modal, Text, Toast } from "@shopify/polaris";
import { useEffect, useState } from "react";

interface ReplayResult {
  replayed: number;
  error: string | null;
}

/** Shows a toast once a replay finished; the page's data refreshes by itself after the action. */
function useReplayToast(data: ReplayResult | undefined, state: string) {
  const [toast, setToast] = useState<string | null>(null);
  useEffect(() => {
    if (state !== "idle" || !data) return;
    setToast(
      data.error ??
        (data.replayed === 1 ? "1 event queued to send again" : `${data.replayed} events queued to send again`),
    );
  }, [data, state]);
  return toast ? <Toast content={toast} error={Boolean(data?.error)} onDismiss={() => setToast(null)} /> : null;
}

export function ReplayButton({ eventId }: { eventId: string }) {
  const fetcher = useFetcher<ReplayResult>();
  const toast = useReplayToast(fetcher.data, fetcher.state);
  return (
    <>
      <Button
        size="slim"
        loading={fetcher.state !== "idle"}
        accessibilityLabel="Send this event again"
        onClick={() => fetcher.submit({ intent: "replay", eventId }, { method: "post" })}
      >
        Replay
      </Button>
      {toast}
    </>
  );
}

/** "Replay all" for the dead letters matching the current event filter, after a confirmation. */
export function ReplayAllBanner({
  count,
  eventKey,
  eventName,
}: {
  count: number;
  eventKey?: string;
  eventName?: string;
}) {
  const fetcher = useFetcher<ReplayResult>();
  const [confirming, setConfirming] = useState(false);
  const toast = useReplayToast(fetcher.data, fetcher.state);
  const what = `${count} ${eventName ? `${eventName} ` : ""}event${count === 1 ? "" : "s"}`;
  if (count === 0) return toast;
  return (
    <>
      <Banner
        tone="critical"
        title={`${what} could not be delivered`}
        action={{ content: `Replay ${count}`, onAction: () => setConfirming(true), loading: fetcher.state !== "idle" }}
      >
        <p>
          Waypost stopped retrying these. Replaying sends each one again exactly as it was frozen; Klaviyo records each
          at most once.
        </p>
      </Banner>
      <Modal
        open={confirming}
        onClose={() => setConfirming(false)}
        title={`Replay ${what}?`}
        primaryAction={{
          content: `Replay ${count}`,
          onAction: () => {
            setConfirming(false);
            fetcher.submit({ intent: "replay_all", ...(eventKey ? { eventKey } : {}) }, { method: "post" });
          },
        }}
        secondaryActions={[{ content: "Cancel", onAction: () => setConfirming(false) }]}
      >
        <Modal.Section>
          <Text as="p">
            They go to Klaviyo again in the next few seconds, with the same unique ids as before, so none can be
            recorded twice.
          </Text>
        </Modal.Section>
      </Modal>
      {toast}
    </>
  );
}
