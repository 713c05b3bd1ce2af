/**
 * Dates in the one form every page uses, British English: "2 Dec 2026", "2 Dec", "14:30", "14:30:05". Written
 * out by hand from the clock's fields rather than through `Intl.DateTimeFormat`: the first ICU date format a
 * process builds pages in about 7 MB of locale data, a tenth of an idle server's memory, to print the same
 * strings (test/dates.test.ts holds each of these to ICU's output for en-GB, "Sept" included).
 */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sept', 'Oct', 'Nov', 'Dec'] as const;

const two = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** "2 Dec" for a day of the month and a month counted from 1. */
export function dayMonth(day: number, month: number): string {
  return `${day} ${MONTHS[month - 1]}`;
}

/** "2 Dec", in the server's time zone (the user's: they are on the same machine). */
export function localDay(d: Date): string {
  return dayMonth(d.getDate(), d.getMonth() + 1);
}

/** "2 Dec 2026", in the server's time zone. */
export function localDate(d: Date): string {
  return `${localDay(d)} ${d.getFullYear()}`;
}

/** "14:30", or "14:30:05" with seconds, on a 24-hour clock in the server's time zone. */
export function localClock(d: Date, seconds = false): string {
  const minutes = `${two(d.getHours())}:${two(d.getMinutes())}`;
  return seconds ? `${minutes}:${two(d.getSeconds())}` : minutes;
}
