import { describe, expect, it } from "vitest";
import { compareDailyCounts, mismatchSummary } from "./receipt-comparison";

const DAYS = ["2026-11-28", "2026-11-29", "2026-11-30", "2026-12-01"];
const fetchedAt = new Date("2026-12-01T18:00:00Z");
const sent = (...counts: number[]) =>
  Object.fromEntries(DAYS.map((day, index) => [day, { sent: counts[index], pending: 0 }]));
const klaviyo = (...counts: number[]) => Object.fromEntries(DAYS.map((day, index) => [day, counts[index]]));

describe("comparing Klaviyo's daily counts with Waypost's", () => {
  it("marks every day matching when the counts agree", () => {
    const comparison = compareDailyCounts({
      days: DAYS,
      waypost: sent(3, 0, 5, 2),
      klaviyo: klaviyo(3, 0, 5, 2),
      fetchedAt,
    });
    expect(comparison.matching).toBe(true);
    expect(comparison.days.every((day) => day.matches && day.cause === null)).toBe(true);
  });

  it("names a day filed one day off as a time-zone shift, on both days", () => {
    const comparison = compareDailyCounts({
      days: DAYS,
      waypost: sent(3, 4, 5, 2),
      klaviyo: klaviyo(3, 3, 6, 2),
      fetchedAt,
    });
    expect(comparison.mismatchedDays).toEqual(["2026-11-29", "2026-11-30"]);
    expect(comparison.days.map((day) => day.cause)).toEqual([null, "time_zone", "time_zone", null]);
  });

  it("blames events still queued before anything else when Klaviyo has fewer", () => {
    const waypost = { ...sent(3, 4, 5, 2), "2026-11-29": { sent: 4, pending: 2 } };
    const comparison = compareDailyCounts({ days: DAYS, waypost, klaviyo: klaviyo(3, 4, 5, 2), fetchedAt });
    expect(comparison.days[1]).toMatchObject({
      waypost: 4,
      pending: 2,
      klaviyo: 4,
      matches: false,
      cause: "still_queued",
    });
    // Once they are sent and Klaviyo has them, the day matches.
    const later = { ...sent(3, 4, 5, 2), "2026-11-29": { sent: 6, pending: 0 } };
    expect(compareDailyCounts({ days: DAYS, waypost: later, klaviyo: klaviyo(3, 6, 5, 2), fetchedAt }).matching).toBe(
      true,
    );
  });

  it("expects Klaviyo to lag only today, and only right after a send", () => {
    const recent = compareDailyCounts({
      days: DAYS,
      waypost: sent(3, 4, 5, 9),
      klaviyo: klaviyo(3, 4, 5, 7),
      fetchedAt,
      lastSentAt: new Date(fetchedAt.getTime() - 60_000),
    });
    expect(recent.days[3].cause).toBe("still_processing");
    const old = compareDailyCounts({
      days: DAYS,
      waypost: sent(3, 4, 5, 9),
      klaviyo: klaviyo(3, 4, 5, 7),
      fetchedAt,
      lastSentAt: new Date(fetchedAt.getTime() - 3 * 3600_000),
    });
    expect(old.days[3].cause).toBe("not_recorded");
  });

  it("suspects another source when Klaviyo counts more than Waypost sent, and words each cause once", () => {
    const comparison = compareDailyCounts({
      days: DAYS,
      waypost: sent(3, 4, 5, 2),
      klaviyo: klaviyo(4, 4, 7, 2),
      fetchedAt,
    });
    expect(comparison.days.map((day) => day.cause)).toEqual(["another_source", null, "another_source", null]);
    expect(mismatchSummary(comparison, (day) => day.slice(5))).toEqual([
      "11-28 and 11-30: another source sends a metric of this name to the account (another app or a private API key), or test events were sent",
    ]);
  });
});
