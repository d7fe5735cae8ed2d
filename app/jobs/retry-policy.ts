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

/**
 * What Klaviyo's answer means for whatever was sent (an event, a bulk request, a profile, a test
 * event), with the attempts it counts for from now on. A 429 and a refused credential spend no
 * attempt: they are Klaviyo's limit and the connection's trouble, not failures of what was sent.
 */
export type Decision =
  | { kind: "sent"; attempts: number }
  /** The whole lane waits as long as Klaviyo said, in every worker process; then it goes again. */
  | { kind: "wait_for_lane"; attempts: number; pauseMs: number; detail: string }
  /** Refresh an OAuth token once; if that does not help, the merchant must reconnect. Held meanwhile. */
  | { kind: "refresh_then_hold"; attempts: number; refreshFirst: boolean; detail: string }
  | { kind: "retry"; attempts: number; afterMs: number; detail: string }
  /** Never going to succeed: refused by Klaviyo (400-class), or out of attempts. */
  | { kind: "dead_letter"; attempts: number; refused: boolean; detail: string };

export interface DecideOptions {
  /** Attempts already spent on it. */
  attempts: number;
  /** How the connection authenticates: only an OAuth token can be refreshed. */
  method: string;
  random?: () => number;
}

export function decide(
  outcome: KlaviyoOutcome<unknown>,
  { attempts, method, random = Math.random }: DecideOptions,
): Decision {
  if (outcome.ok) return { kind: "sent", attempts: attempts + 1 };
  const { detail } = outcome;
  switch (outcome.kind) {
    case "rate_limited":
      return { kind: "wait_for_lane", attempts, pauseMs: outcome.retryAfterMs, detail };
    case "unauthorized":
    case "forbidden":
      return {
        kind: "refresh_then_hold",
        attempts,
        refreshFirst: method === "oauth" && outcome.kind === "unauthorized",
        detail,
      };
    case "invalid":
      // Sending the same body again cannot succeed.
      return { kind: "dead_letter", attempts: attempts + 1, refused: true, detail };
    case "server_error":
    case "network": {
      const spent = attempts + 1;
      if (spent >= MAX_SEND_ATTEMPTS) return { kind: "dead_letter", attempts: spent, refused: false, detail };
      return { kind: "retry", attempts: spent, afterMs: retryDelayMs(spent, random), detail };
    }
  }
}

/** How an attempt is logged: what Klaviyo's answer meant. */
export function attemptOutcome(decision: Decision): string {
  switch (decision.kind) {
    case "sent":
      return "sent";
    case "wait_for_lane":
      return "rate_limited";
    case "refresh_then_hold":
      return "unauthorized";
    case "dead_letter":
      return "failed";
    case "retry":
      return "retry";
  }
}
