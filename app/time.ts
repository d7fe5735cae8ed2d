export const DAY_MS = 24 * 60 * 60_000;

/** How far `timeZone`'s wall clock is ahead of UTC at `instant`, in milliseconds. */
function zoneOffsetMs(instant: number, timeZone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    })
      .formatToParts(new Date(instant))
      .map((part) => [part.type, Number(part.value)]),
  );
  const wallClock = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  return wallClock - Math.floor(instant / 1000) * 1000;
}

/**
 * The instant a calendar day ("2026-11-24") starts in a time zone: what a merchant means by a
 * date in a filter. Undefined for anything that is not a real date.
 */
export function startOfDayIn(day: string, timeZone: string): Date | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return undefined;
  const midnightAsUtc = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  if (new Date(midnightAsUtc).toISOString().slice(0, 10) !== day) return undefined;
  // Twice, so a day whose offset changes overnight (DST) still lands on its local midnight.
  let instant = midnightAsUtc - zoneOffsetMs(midnightAsUtc, timeZone);
  instant = midnightAsUtc - zoneOffsetMs(instant, timeZone);
  return new Date(instant);
}

const shiftCalendarDay = (day: string, by: number) => {
  const [year, month, date] = day.split("-").map(Number);
  return new Date(Date.UTC(year, month - 1, date + by)).toISOString().slice(0, 10);
};

/** The calendar day after `day` ("2026-11-30" → "2026-12-01"). */
export const nextCalendarDay = (day: string) => shiftCalendarDay(day, 1);

/** The calendar day before `day` ("2026-12-01" → "2026-11-30"). */
export const previousCalendarDay = (day: string) => shiftCalendarDay(day, -1);
