/**
 * When a receipt that failed, or waits for Shopify, is tried again. Shopify itself retries a
 * webhook over about four hours; a receipt we accepted gets the same window, with exponential
 * backoff and jitter so a crowd of failures does not come back in step.
 */
export const RECEIPT_RETRY_WINDOW_MS = 4 * 60 * 60_000;
const FIRST_RETRY_MS = 10_000;
const LONGEST_WAIT_MS = 30 * 60_000;

/** The wait before the next try after `attempts` tries: half of base × 2^(attempts − 1), plus up to as much again. */
export function receiptRetryDelayMs(attempts: number, random: () => number = Math.random): number {
  const ceiling = Math.min(LONGEST_WAIT_MS, FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1));
  return Math.floor(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * When to try a receipt again after `attempts` tries, or null once its window (from when it
 * arrived) is over: then it is failed, and only the merchant's Retry brings it back.
 */
export function nextReceiptAttempt(
  { attempts, receivedAt }: { attempts: number; receivedAt: Date },
  now: Date,
  random: () => number = Math.random,
): Date | null {
  const windowEnd = receivedAt.getTime() + RECEIPT_RETRY_WINDOW_MS;
  if (now.getTime() >= windowEnd) return null;
  return new Date(Math.min(windowEnd, now.getTime() + receiptRetryDelayMs(attempts, random)));
}
