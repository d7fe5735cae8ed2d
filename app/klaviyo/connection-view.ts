/** What the merchant sees of a shop's Klaviyo connection (never a token). */
export type KlaviyoConnectionView =
  | { status: "not_connected"; oauthAvailable: boolean }
  | {
      status: "connected" | "needs_reconnect";
      oauthAvailable: boolean;
      method: "oauth" | "private_key";
      accountId: string;
      accountName: string;
      connectedAt: string;
      reason: string | null;
    };
