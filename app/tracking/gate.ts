export interface GateInput {
  /**
   * The store's side: Klaviyo connected and Go Live on. Asked of every live event; an import of
   * order history was checked against it when it started, and gives none.
   */
  store?: { klaviyoConnected: boolean; goLive: boolean };
  eventEnabled: boolean;
  reachable: boolean;
}

export type GateDecision = { send: true } | { send: false; reason: string };

/**
 * The seed's rule, in the merchant's words: an event goes to Klaviyo only when Klaviyo is
 * connected, the store is live, that event is turned on, and the customer can be reached.
 */
export function gateEvent({ store, eventEnabled, reachable }: GateInput): GateDecision {
  if (store && !store.klaviyoConnected) return { send: false, reason: "Klaviyo is not connected" };
  if (store && !store.goLive) return { send: false, reason: "Go Live is off" };
  if (!eventEnabled) return { send: false, reason: "This event is turned off in Track Settings" };
  if (!reachable) return { send: false, reason: "The order has no email address or phone number" };
  return { send: true };
}
