export interface GateInput {
  klaviyoConnected: boolean;
  goLive: boolean;
  eventEnabled: boolean;
  reachable: boolean;
}

export type GateDecision = { send: true } | { send: false; reason: string };

/**
 * The seed's rule, in the merchant's words: an event goes to Klaviyo only when Klaviyo is
 * connected, the store is live, that event is turned on, and the customer can be reached.
 */
export function gateEvent({ klaviyoConnected, goLive, eventEnabled, reachable }: GateInput): GateDecision {
  if (!klaviyoConnected) return { send: false, reason: "Klaviyo is not connected" };
  if (!goLive) return { send: false, reason: "Go Live is off" };
  if (!eventEnabled) return { send: false, reason: "This event is turned off in Track Settings" };
  if (!reachable) return { send: false, reason: "The order has no email address or phone number" };
  return { send: true };
}
