import { DAY_MS } from "../time";

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/**
 * A period as a cron expression in UTC, aligned as ScheduledJob slots are (every 10 minutes is at
 * :00, :10, …). Cron counts minutes and hours, so a period must be a whole number of minutes
 * dividing an hour, or of hours dividing a day. Pure.
 */
export function cronOf(everyMs: number): string {
  if (everyMs % MINUTE_MS === 0 && everyMs < HOUR_MS && 60 % (everyMs / MINUTE_MS) === 0)
    return everyMs === MINUTE_MS ? "* * * * *" : `*/${everyMs / MINUTE_MS} * * * *`;
  if (everyMs % HOUR_MS === 0 && everyMs < DAY_MS && 24 % (everyMs / HOUR_MS) === 0)
    return everyMs === HOUR_MS ? "0 * * * *" : `0 */${everyMs / HOUR_MS} * * *`;
  if (everyMs === DAY_MS) return "0 0 * * *";
  throw new Error(
    `a period of ${everyMs} ms cannot be written as cron: use whole minutes or hours dividing an hour or a day`,
  );
}
