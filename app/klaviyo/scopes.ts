/** What Waypost asks Klaviyo for, and why: shown on the Integrations page before connecting. */
export const KLAVIYO_PERMISSIONS = [
  { scopes: ["events:read", "events:write"], why: "Send order and shipment events to your account" },
  { scopes: ["profiles:read", "profiles:write"], why: "Keep customer profiles and delivery stats up to date" },
  { scopes: ["accounts:read"], why: "Confirm which Klaviyo account is connected" },
  { scopes: ["campaigns:read", "flows:read"], why: "Check that your flows can use Waypost's events" },
  { scopes: ["metrics:read"], why: "Verify that Klaviyo received the events" },
  { scopes: ["webhooks:read", "webhooks:write"], why: "Hear of unsubscribes at once, to mark them in your store" },
] as const;

export const KLAVIYO_SCOPES: string[] = KLAVIYO_PERMISSIONS.flatMap((permission) => [...permission.scopes]);
