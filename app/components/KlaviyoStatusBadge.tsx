import { Badge } from "@shopify/polaris";
import type { KlaviyoConnectionView } from "../klaviyo/connection-view";

/** The one way Klaviyo's connection is shown, wherever it is shown: three states, three words. */
export const KLAVIYO_STATUS = {
  not_connected: { label: "Not connected", tone: undefined },
  connected: { label: "Connected", tone: "success" },
  needs_reconnect: { label: "Needs reconnect", tone: "critical" },
} as const;

export function KlaviyoStatusBadge({ status }: { status: KlaviyoConnectionView["status"] }) {
  const { label, tone } = KLAVIYO_STATUS[status];
  return <Badge tone={tone}>{label}</Badge>;
}
