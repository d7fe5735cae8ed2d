/**
 * Klaviyo confirms receipt: one metric's daily counts at Klaviyo beside what Waypost sent, day by
 * day in the store's time zone, with the likely cause of each day that differs. Pure.
 */

export interface WaypostDay {
  sent: number;
  /** Events of that day still queued or waiting for a retry. */
  pending: number;
}

export type MismatchCause = "still_queued" | "still_processing" | "time_zone" | "not_recorded" | "another_source";

/** Each cause in the merchant's words. */
export const MISMATCH_CAUSES: Record<MismatchCause, string> = {
  still_queued: "some of that day's events are still queued or waiting for a retry in Waypost",
  still_processing: "Klaviyo may still be filing events sent in the last few minutes",
  time_zone: "the counts move between neighbouring days, as when events are counted in another time zone",
  not_recorded: "Klaviyo accepted events it did not record (a profile it refused, or a unique_id it had already seen)",
  another_source:
    "another source sends a metric of this name to the account (another app or a private API key), or test events were sent",
};

export interface ComparedDay {
  day: string;
  /** Sent to Klaviyo and accepted. */
  waypost: number;
  pending: number;
  klaviyo: number;
  matches: boolean;
  cause: MismatchCause | null;
}

export interface MetricComparison {
  days: ComparedDay[];
  matching: boolean;
  mismatchedDays: string[];
}

/**
 * Compares `days` (oldest first, the last being today). `fetchedAt` is when Klaviyo's counts were
 * read; events sent in the minutes before it may not be filed yet.
 */
export function compareDailyCounts({
  days,
  waypost,
  klaviyo,
  lastSentAt,
  fetchedAt,
}: {
  days: string[];
  waypost: Record<string, WaypostDay>;
  klaviyo: Record<string, number>;
  lastSentAt?: Date | null;
  fetchedAt: Date;
}): MetricComparison {
  const rows = days.map((day) => {
    const ours = waypost[day] ?? { sent: 0, pending: 0 };
    const theirs = klaviyo[day] ?? 0;
    // A day matches when Klaviyo has every event Waypost has for it, those still on their way included.
    const expected = ours.sent + ours.pending;
    return { day, waypost: ours.sent, pending: ours.pending, klaviyo: theirs, matches: expected === theirs };
  });
  const differences = rows.map((row) => row.klaviyo - row.waypost - row.pending);
  const recentSend = Boolean(lastSentAt && fetchedAt.getTime() - lastSentAt.getTime() < 10 * 60_000);

  const compared = rows.map((row, index): ComparedDay => {
    if (row.matches) return { ...row, cause: null };
    const difference = differences[index];
    // A day over by what a neighbour is under (or the reverse): the events were filed a day off.
    const neighbourEvens = [index - 1, index + 1].some((other) => differences[other] === -difference);
    let cause: MismatchCause;
    if (neighbourEvens) cause = "time_zone";
    else if (difference < 0 && row.pending > 0) cause = "still_queued";
    else if (difference < 0 && index === rows.length - 1 && recentSend) cause = "still_processing";
    else if (difference < 0) cause = "not_recorded";
    else cause = "another_source";
    return { ...row, cause };
  });
  const mismatchedDays = compared.filter((row) => !row.matches).map((row) => row.day);
  return { days: compared, matching: mismatchedDays.length === 0, mismatchedDays };
}

/** "Nov 28 and Nov 30: <cause>; Dec 1: <cause>": each cause once, with the days it explains. */
export function mismatchSummary(comparison: MetricComparison, formatDay: (day: string) => string): string[] {
  const byCause = new Map<MismatchCause, string[]>();
  for (const row of comparison.days)
    if (row.cause) byCause.set(row.cause, [...(byCause.get(row.cause) ?? []), formatDay(row.day)]);
  return [...byCause].map(([cause, days]) => `${joinWords(days)}: ${MISMATCH_CAUSES[cause]}`);
}

const joinWords = (words: string[]) =>
  words.length < 2 ? words.join("") : `${words.slice(0, -1).join(", ")} and ${words[words.length - 1]}`;
