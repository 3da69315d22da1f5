// Calendar days in a time zone with Intl only (no Node API, no time-zone library).

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Whether `timeZone` is an IANA time zone the platform knows (`Europe/Riga`, `UTC`, ...). */
export function isTimeZone(timeZone: string): boolean {
  if (typeof timeZone !== 'string' || timeZone === '') return false;
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/**
 * The calendar day (`YYYY-MM-DD`) that instant `at` falls on in `timeZone`.
 *
 * @example
 * ```ts
 * dayKey(new Date('2026-03-01T22:30:00Z'), 'Europe/Riga') // '2026-03-02' (UTC+2)
 * dayKey(new Date('2026-03-01T22:30:00Z'), 'UTC')         // '2026-03-01'
 * ```
 */
export function dayKey(at: Date, timeZone = 'UTC'): string {
  const ms = at.getTime();
  // Every UTC offset in use since 1980 is a multiple of 15 minutes, so a day boundary never
  // falls inside a UTC quarter hour: the day of one instant is the day of its whole quarter.
  // Accounting asks for the same few quarters thousands of times a second.
  if (ms < SINCE_1980_MS) return formatDay(at, timeZone);
  const quarter = Math.floor(ms / QUARTER_HOUR_MS);
  let days = recentDays.get(timeZone);
  if (!days) {
    days = new Map();
    recentDays.set(timeZone, days);
  }
  let day = days.get(quarter);
  if (day === undefined) {
    day = formatDay(at, timeZone);
    if (days.size >= RECENT_QUARTERS) days.clear();
    days.set(quarter, day);
  }
  return day;
}

const QUARTER_HOUR_MS = 900_000;
const SINCE_1980_MS = Date.UTC(1980, 0, 1);
const RECENT_QUARTERS = 1024;
const recentDays = new Map<string, Map<number, string>>();

function formatDay(at: Date, timeZone: string): string {
  let year = '';
  let month = '';
  let day = '';
  for (const part of formatter(timeZone).formatToParts(at)) {
    if (part.type === 'year') year = part.value;
    else if (part.type === 'month') month = part.value;
    else if (part.type === 'day') day = part.value;
  }
  return `${year.padStart(4, '0')}-${month}-${day}`;
}
