import type { Detection } from "./detect";
import type { NormalizedOrder, NormalizedShipment } from "./normalize";

/**
 * An event found in a webhook, in an order's history or by the delay scan, with what its
 * Klaviyo payload is built from: the order, the shipment if any, the status the platform gave.
 */
export interface FoundEvent {
  detection: Detection;
  order: NormalizedOrder;
  shipment: NormalizedShipment | null;
  status: string | null;
  extraProperties?: Record<string, unknown>;
}
