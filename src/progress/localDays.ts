/**
 * Calendar days in the local time zone of the running process, for everything that counts in
 * days (review schedules, the activity calendar, dated file names). Arithmetic works on the
 * local date fields, so adding a day across a daylight-saving change still lands on midnight.
 */

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** The local calendar day of a moment, as `YYYY-MM-DD`. */
export function localDayKey(at: Date): string {
  return `${pad(at.getFullYear(), 4)}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
}

/** Local midnight of a `YYYY-MM-DD` day. */
export function dayKeyToDate(key: string): Date {
  const [y, m, d] = key.split('-').map(Number);
  return new Date(y, m - 1, d);
}

/** 00:00 local time on the day of `at`. */
export function startOfLocalDay(at: Date): Date {
  return new Date(at.getFullYear(), at.getMonth(), at.getDate());
}

/** 00:00 local time `days` calendar days after the day of `at`. */
export function addLocalDays(at: Date, days: number): Date {
  return new Date(at.getFullYear(), at.getMonth(), at.getDate() + days);
}

/** Whole calendar days from the day of `from` to the day of `to` (negative when `to` is earlier), ignoring time of day and DST. */
export function calendarDaysBetween(from: Date, to: Date): number {
  const a = Date.UTC(from.getFullYear(), from.getMonth(), from.getDate());
  const b = Date.UTC(to.getFullYear(), to.getMonth(), to.getDate());
  return Math.round((b - a) / 86_400_000);
}

/** Monday (ISO 8601 weeks) 00:00 of the week holding `at`. */
export function startOfWeek(at: Date): Date {
  return addLocalDays(at, -((at.getDay() + 6) % 7));
}
