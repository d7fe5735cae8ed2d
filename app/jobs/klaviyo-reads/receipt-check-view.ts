import type { MetricComparison } from "../../klaviyo/receipt-comparison";

/** What the Dashboard shows of "Klaviyo confirms receipt" (see klaviyoReceiptCheck). */
export interface EventReceipt extends MetricComparison {
  eventKey: string;
  metric: string;
  fetchedAt: string;
}

export interface ReceiptCheck {
  connected: boolean;
  days: string[];
  events: EventReceipt[];
  /** Enabled events Klaviyo has no metric for yet (nothing to compare). */
  notInKlaviyo: string[];
  error: string | null;
}
