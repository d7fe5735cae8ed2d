import { describe, expect, it } from "vitest";
import { nextCalendarDay, previousCalendarDay, startOfDayIn } from "./time";

describe("startOfDayIn", () => {
  it("finds local midnight in the shop's time zone", () => {
    expect(startOfDayIn("2026-11-24", "UTC")?.toISOString()).toBe("2026-11-24T00:00:00.000Z");
    expect(startOfDayIn("2026-11-24", "America/New_York")?.toISOString()).toBe("2026-11-24T05:00:00.000Z");
    expect(startOfDayIn("2026-07-01", "America/New_York")?.toISOString()).toBe("2026-07-01T04:00:00.000Z");
    expect(startOfDayIn("2026-11-24", "Asia/Kolkata")?.toISOString()).toBe("2026-11-23T18:30:00.000Z");
  });

  it("handles the day clocks change", () => {
    expect(startOfDayIn("2026-03-08", "America/New_York")?.toISOString()).toBe("2026-03-08T05:00:00.000Z");
    expect(startOfDayIn("2026-11-01", "America/New_York")?.toISOString()).toBe("2026-11-01T04:00:00.000Z");
  });

  it("refuses what is not a date", () => {
    expect(startOfDayIn("2026-02-30", "UTC")).toBeUndefined();
    expect(startOfDayIn("yesterday", "UTC")).toBeUndefined();
  });
});

describe("nextCalendarDay", () => {
  it("rolls over months and years", () => {
    expect(nextCalendarDay("2026-11-30")).toBe("2026-12-01");
    expect(nextCalendarDay("2026-12-31")).toBe("2027-01-01");
    expect(nextCalendarDay("2028-02-28")).toBe("2028-02-29");
    expect(previousCalendarDay("2027-01-01")).toBe("2026-12-31");
  });
});
