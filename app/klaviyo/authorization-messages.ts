import { ownEntry } from "../own-entry";

/** Why a Klaviyo connection attempt failed, in words a merchant can act on. */
export const AUTHORIZATION_FAILURES = {
  denied: "Klaviyo access was not allowed, so Waypost cannot send events. Connect again and choose Allow.",
  invalid_state: "That Klaviyo sign-in link was already used or is not valid. Please connect again.",
  expired_state: "The Klaviyo sign-in took too long and expired. Please connect again.",
  token_exchange_failed: "Klaviyo did not accept the sign-in. Please connect again.",
  account_check_failed: "Klaviyo signed you in but would not confirm the account. Please connect again.",
  not_configured:
    "Connecting with Klaviyo sign-in is not set up on this Waypost server. Use a private API key instead.",
} as const;

export type AuthorizationFailure = keyof typeof AUTHORIZATION_FAILURES;

export function authorizationFailureMessage(reason: string | null | undefined): string {
  return ownEntry(AUTHORIZATION_FAILURES, reason) ?? AUTHORIZATION_FAILURES.token_exchange_failed;
}
