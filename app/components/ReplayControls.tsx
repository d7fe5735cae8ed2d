import { useFetcher } from "@remix-run/react";
import { Banner, Button, Modal, Text } from "@shopify/polaris";
import { useEffect, useState } from "react";
import { showToast } from "./toast";

interface ReplayResult {
  replayed: number;
  error: string | null;
}

/**
 * Confirms a finished replay with App Bridge's toast. The admin draws it outside the page, so it
 * outlives the row's Replay button, which unmounts as soon as the row stops being a dead letter.
 */
function useReplayToast(data: ReplayResult | undefined) {
  // The answer arrives while the page's data reloads, before the row (and this button) can go away.
  useEffect(() => {
    if (!data) return;
    showToast(
      data.error ??
        (data.replayed === 1 ? "1 event queued to send again" : `${data.replayed} events queued to send again`),
      { isError: Boolean(data.error) },
    );
  }, [data]);
}

/** Replay for one dead letter; `what` names it for screen readers ("Replay Delivered for #1001"). */
export function ReplayButton({ eventId, what }: { eventId: string; what: string }) {
  const fetcher = useFetcher<ReplayResult>();
  useReplayToast(fetcher.data);
  return (
    <Button
      size="slim"
      loading={fetcher.state !== "idle"}
      accessibilityLabel={`Replay ${what}`}
      onClick={() => fetcher.submit({ intent: "replay", eventId }, { method: "post" })}
    >
      Replay
    </Button>
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
  useReplayToast(fetcher.data);
  const what = `${count} ${eventName ? `${eventName} ` : ""}event${count === 1 ? "" : "s"}`;
  if (count === 0) return null;
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
    </>
  );
}
