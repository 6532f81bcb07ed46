// Calendar dates in the district's own time zone. Expiry is a date, not an instant: a batch
// "expires today" by the calendar in Kaizhou (UTC+8), whatever the server's TZ.
// SQL uses the same rule: LOCAL_TODAY_SQL.

export const DISTRICT_TIME_ZONE = "Asia/Shanghai";
export const LOCAL_TODAY_SQL = `(now() AT TIME ZONE '${DISTRICT_TIME_ZONE}')::date`;

const formatter = new Intl.DateTimeFormat("en-CA", { timeZone: DISTRICT_TIME_ZONE, year: "numeric", month: "2-digit", day: "2-digit" });

/** Today's date in the district, YYYY-MM-DD. */
export function localToday(now: Date = new Date()): string {
  return formatter.format(now);
}

/** The date `days` after `date` (YYYY-MM-DD). */
export function addDays(date: string, days: number): string {
  const utc = Date.parse(`${date}T00:00:00Z`) + days * 86_400_000;
  return new Date(utc).toISOString().slice(0, 10);
}

/** Whole days from today (district calendar) to `date`: 0 today, negative in the past. */
export function daysFromToday(date: string, now: Date = new Date()): number {
  return Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${localToday(now)}T00:00:00Z`)) / 86_400_000);
}
