const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

// Zone abbreviations with one meaning, in minutes east of UTC (IST and CST are ambiguous: left out).
const ZONES: Record<string, number> = {
  UTC: 0,
  UT: 0,
  GMT: 0,
  Z: 0,
  WET: 0,
  WEST: 60,
  BST: 60,
  CET: 60,
  CEST: 120,
  MET: 60,
  MEST: 120,
  EET: 120,
  EEST: 180,
  MSK: 180,
  SAST: 120,
  EAT: 180,
  GST: 240,
  PKT: 300,
  WIB: 420,
  HKT: 480,
  AWST: 480,
  JST: 540,
  KST: 540,
  ACST: 570,
  ACDT: 630,
  AEST: 600,
  AEDT: 660,
  NZST: 720,
  NZDT: 780,
  EST: -300,
  EDT: -240,
  CDT: -300,
  MST: -420,
  MDT: -360,
  PST: -480,
  PDT: -420,
  AKST: -540,
  AKDT: -480,
  HST: -600,
  AST: -240,
  ADT: -180,
  NST: -210,
  NDT: -150,
  BRT: -180,
  ART: -180,
};

// FreeRADIUS's "%b %e %Y %H:%M:%S %Z", e.g. "Nov 14 2023 22:13:20 UTC" or "Mar  1 2026 10:00:00 EET".
const FREERADIUS_DATE = /^([A-Z][a-z]{2}) +(\d{1,2}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) ?(\S+)?$/;

/** Minutes east of UTC in `timeZone` at the instant `at`. */
function offsetIn(timeZone: string, at: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(new Date(at));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((wall - at) / 60_000);
}

/**
 * Reads an Event-Timestamp as rlm_rest sends it: FreeRADIUS's date text (in the FreeRADIUS
 * process's time zone, named by an abbreviation or an offset), or epoch seconds. A zone the
 * handler cannot place is read in `timeZone` (the FreeRADIUS host's IANA zone) when given;
 * otherwise `null` (the caller uses the receipt time). Run FreeRADIUS with `TZ=UTC` to avoid
 * the question altogether.
 *
 * @example
 * ```ts
 * parseEventTimestamp('Nov 14 2023 22:13:20 UTC') // 2023-11-14T22:13:20.000Z
 * ```
 */
export function parseEventTimestamp(value: string | number, timeZone?: string): Date | null {
  if (typeof value === 'number' || /^\d{1,12}$/.test(value)) {
    const seconds = Number(value);
    return Number.isSafeInteger(seconds) ? new Date(seconds * 1000) : null;
  }
  const match = FREERADIUS_DATE.exec(value.trim());
  if (!match) return null;
  const [, mon, day, year, hh, mm, ss, zone = 'UTC'] = match;
  const month = MONTHS.indexOf(mon as string);
  if (month < 0) return null;
  const wall = Date.UTC(Number(year), month, Number(day), Number(hh), Number(mm), Number(ss));
  if (Number.isNaN(wall)) return null;
  const numeric = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
  if (numeric) {
    const minutes = Number(numeric[2]) * 60 + Number(numeric[3]);
    return new Date(wall - (numeric[1] === '-' ? -minutes : minutes) * 60_000);
  }
  const known = ZONES[zone.toUpperCase()];
  if (known !== undefined) return new Date(wall - known * 60_000);
  if (timeZone === undefined) return null;
  // The wall-clock time in the IANA zone: correct the guess by the zone's offset, twice for DST edges.
  let at = wall - offsetIn(timeZone, wall) * 60_000;
  at = wall - offsetIn(timeZone, at) * 60_000;
  return new Date(at);
}
