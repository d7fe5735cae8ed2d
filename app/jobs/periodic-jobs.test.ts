import { describe, expect, it } from "vitest";
import { DAY_MS } from "../time";
import { cronOf } from "./periodic-jobs";

describe("periodic jobs as cron", () => {
  it("writes each period the background jobs use as a cron expression aligned like ScheduledJob slots", () => {
    expect(cronOf(60_000)).toBe("* * * * *");
    expect(cronOf(10 * 60_000)).toBe("*/10 * * * *");
    expect(cronOf(30 * 60_000)).toBe("*/30 * * * *");
    expect(cronOf(60 * 60_000)).toBe("0 * * * *");
    expect(cronOf(DAY_MS / 4)).toBe("0 */6 * * *");
    expect(cronOf(DAY_MS)).toBe("0 0 * * *");
  });

  it("refuses a period cron cannot keep instead of running it at another rate", () => {
    expect(() => cronOf(7 * 60_000)).toThrow(/cannot be written as cron/);
    expect(() => cronOf(90_000)).toThrow(/cannot be written as cron/);
    expect(() => cronOf(5 * 60 * 60_000)).toThrow(/cannot be written as cron/);
  });
});
