import type { KlaviyoOutcome } from "../klaviyo/outcome";

/** Sends to Klaviyo are retried this many times (5xx, timeouts, network) before giving up. */
export const MAX_SEND_ATTEMPTS = 8;
const BASE_DELAY_MS = 2_000;
const MAX_DELAY_MS = 15 * 60_000;

/** Exponential backoff with full jitter: a random wait up to base × 2^(attempt − 1), capped. */
export function retryDelayMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}

/** How an attempt is logged: what Klaviyo's answer meant for the event. */
export function attemptOutcome(outcome: KlaviyoOutcome<unknown>, attempts: number): string {
  if (outcome.ok) return "sent";
  if (outcome.kind === "rate_limited") return "rate_limited";
  if (outcome.kind === "unauthorized" || outcome.kind === "forbidden") return "unauthorized";
  if (outcome.kind === "invalid" || attempts >= MAX_SEND_ATTEMPTS) return "failed";
  return "retry";
}
