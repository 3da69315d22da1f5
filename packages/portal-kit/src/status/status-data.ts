import { type Customer, type DailyUsage, type HotspotKit, isHotspotKitError, type Voucher } from '@hotspot-kit/core';

/** Everything the status page (and `GET /api/status`) shows for one phone. */
export interface StatusData {
  phone: string;
  customer: Customer | null;
  /** One page of the vouchers, ordered: online and active first, then new, then used and expired. */
  vouchers: Voucher[];
  /** How many vouchers the customer has in all. */
  vouchersTotal: number;
  /** The cursor this page was asked for with; `null` for the first page (the current and newest). */
  cursor: string | null;
  /** The cursor of the next (older) page; `null` on the last page. */
  nextCursor: string | null;
  /** The voucher the summary describes: the first online or active one. */
  current: Voucher | null;
  /** One entry per day of the range, oldest first (days without usage are zeros). */
  history: DailyUsage[];
  /** Whether the visitor proved the phone with an SMS code (devices may be managed). */
  verified: boolean;
  /** Device management shown: portal OTP on, associated devices on, verified visitor. */
  devicesEnabled: boolean;
  timeZone: string;
}

/** Whether a voucher's devices can still change. */
export function isOpenVoucher(voucher: Voucher): boolean {
  return voucher.status === 'online' || voucher.status === 'active' || voucher.status === 'new';
}

const dayFormats = new Map<string, Intl.DateTimeFormat | null>();

const lastDay = new Map<string, { minute: number; day: string }>();

/** `YYYY-MM-DD` of `date` in `timeZone` (UTC when the zone is unknown). */
export function dayIn(date: Date, timeZone: string): string {
  // Formatting with a time zone is slow and every page view asks for "today": remember the
  // answer for the current minute (zone offsets change on whole minutes at most).
  const minute = Math.floor(date.getTime() / 60_000);
  const hit = lastDay.get(timeZone);
  if (hit?.minute === minute) return hit.day;
  const day = formatDay(date, timeZone);
  if (lastDay.size < 500) lastDay.set(timeZone, { minute, day });
  else lastDay.clear();
  return day;
}

function formatDay(date: Date, timeZone: string): string {
  let format = dayFormats.get(timeZone);
  if (format === undefined) {
    try {
      format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    } catch {
      format = null;
    }
    if (dayFormats.size < 500) dayFormats.set(timeZone, format);
  }
  return format ? format.format(date) : date.toISOString().slice(0, 10);
}

const DAY_MS = 86_400_000;

let lastStart: { to: string; days: number; from: string } | undefined;

/** The first day of a range of `days` days ending on `to` (remembered: every view asks the same until midnight). */
function rangeStart(to: string, days: number): string {
  if (lastStart?.to === to && lastStart.days === days) return lastStart.from;
  const from = new Date(Date.parse(`${to}T00:00:00Z`) - (days - 1) * DAY_MS).toISOString().slice(0, 10);
  lastStart = { to, days, from };
  return from;
}

/** Every day from `from` to `to` inclusive, filled from `history` (zeros where it has none). */
let lastRange: { key: string; days: string[] } | undefined;

function daysBetween(from: string, to: string): string[] {
  const key = `${from}|${to}`;
  if (lastRange?.key === key) return lastRange.days;
  const start = Date.parse(`${from}T00:00:00Z`);
  const count = Math.min(400, Math.round((Date.parse(`${to}T00:00:00Z`) - start) / DAY_MS) + 1);
  const days: string[] = [];
  for (let i = 0; i < count; i++) days.push(new Date(start + i * DAY_MS).toISOString().slice(0, 10));
  lastRange = { key, days };
  return days;
}

export function fillDays(history: readonly DailyUsage[], from: string, to: string): DailyUsage[] {
  const byDay = new Map(history.map((d) => [d.day, d]));
  return daysBetween(from, to).map(
    (day) => byDay.get(day) ?? { day, downloadBytes: 0, uploadBytes: 0, onlineSeconds: 0 },
  );
}

/** Vouchers on one page of the status page and of `GET /api/status`. */
export const VOUCHERS_PER_PAGE = 10;

/**
 * Reads a customer's status from the kit (no raw events are scanned: totals and day buckets
 * only). Vouchers come a page at a time: the first page holds the current and newest ones,
 * `cursor` (from `nextCursor`) asks for an older page. The chart sums every voucher.
 */
export async function loadStatus(
  kit: HotspotKit,
  input: {
    phone: string;
    verified: boolean;
    historyDays: number;
    /** Used when the customer has no location (or it has no time zone). */
    timeZone: string;
    /** The time zone of a location (cached by the portal). */
    timeZoneOf?: (locationId: string) => Promise<string | undefined>;
    /** `nextCursor` of the page before; absent or `null` for the first page. */
    cursor?: string | null;
    /** What a cursor the kit does not recognize gets: the first page (links), or the kit's `INVALID_INPUT` (default). */
    onBadCursor?: 'first-page' | 'throw';
  },
): Promise<StatusData> {
  // The session holds an E.164 number, which `findByPhone` looks up without normalizing again.
  const customer = await kit.customers.findByPhone(input.phone);
  // Day buckets follow the customer's location time zone, so the chart's days must too.
  const timeZone =
    (customer?.locationId && input.timeZoneOf ? await input.timeZoneOf(customer.locationId) : undefined) ??
    input.timeZone;
  const to = dayIn(kit.now(), timeZone);
  const from = rangeStart(to, input.historyDays);
  let cursor = input.cursor || null;
  if (customer && cursor && input.onBadCursor === 'first-page') {
    // A mangled or outdated link shows the first page rather than an error.
    cursor = await kit.vouchers.pageForCustomer(customer.id, { limit: 1, cursor }).then(
      () => cursor,
      (error: unknown) => (isHotspotKitError(error) && error.code === 'INVALID_INPUT' ? null : cursor),
    );
  }
  const [page, first] = customer
    ? await Promise.all([
        kit.vouchers.pageForCustomer(customer.id, { limit: VOUCHERS_PER_PAGE, ...(cursor ? { cursor } : {}) }),
        // An older page still shows the current voucher in the summary.
        cursor ? kit.vouchers.pageForCustomer(customer.id, { limit: 1 }) : undefined,
      ])
    : [undefined, undefined];
  const ids = page?.voucherIds ?? [];
  // The day buckets of every voucher, in one store read: `kit.usage.history` would look the
  // customer, its location and its vouchers up again (the range is the portal's own, already
  // validated and in the customer's zone).
  const history = ids.length > 0 ? await kit.store.usage.dailyHistory(ids, from, to) : [];
  const vouchers = page?.vouchers ?? [];
  const portal = kit.options.portal;
  const isCurrent = (v: Voucher) => v.status === 'online' || v.status === 'active';
  return {
    phone: customer?.phone ?? input.phone,
    customer,
    vouchers,
    vouchersTotal: page?.total ?? 0,
    cursor,
    nextCursor: page?.next ?? null,
    current: (first ?? page)?.vouchers.find(isCurrent) ?? null,
    history: fillDays(history, from, to),
    verified: input.verified,
    devicesEnabled: portal.otp && portal.associatedDevices && input.verified,
    timeZone,
  };
}

/** Used and remaining figures of a voucher, from its limits when the kit left `remaining` out. */
export interface VoucherFigures {
  totalBytes: number;
  /** `null`: unlimited. */
  trafficLimit: { kind: 'total'; bytes: number } | { kind: 'split'; downloadBytes: number; uploadBytes: number } | null;
  trafficPercent: number | null;
  onlineLimitSeconds: number | null;
  onlineRemainingSeconds: number | null;
  onlinePercent: number | null;
  validitySeconds: number | null;
}

const pct = (used: number, limit: number) => (limit <= 0 ? 100 : Math.min(100, Math.round((used / limit) * 1000) / 10));

export function voucherFigures(voucher: Voucher, now: Date): VoucherFigures {
  const { usage, limits } = voucher;
  const totalBytes = usage.downloadBytes + usage.uploadBytes;
  const tl = limits.trafficLimit;
  let trafficLimit: VoucherFigures['trafficLimit'] = null;
  let trafficPercent: number | null = null;
  if (tl && 'totalBytes' in tl) {
    trafficLimit = { kind: 'total', bytes: tl.totalBytes };
    trafficPercent = pct(totalBytes, tl.totalBytes);
  } else if (tl) {
    trafficLimit = { kind: 'split', downloadBytes: tl.downloadBytes, uploadBytes: tl.uploadBytes };
    trafficPercent = Math.max(pct(usage.downloadBytes, tl.downloadBytes), pct(usage.uploadBytes, tl.uploadBytes));
  }
  const onlineLimit = limits.onlineTimeSeconds ?? null;
  const validity =
    voucher.remaining?.validitySeconds ??
    (voucher.expiresAt ? Math.max(0, Math.floor((voucher.expiresAt.getTime() - now.getTime()) / 1000)) : null);
  return {
    totalBytes,
    trafficLimit,
    trafficPercent,
    onlineLimitSeconds: onlineLimit,
    onlineRemainingSeconds:
      voucher.remaining?.onlineSeconds ??
      (onlineLimit === null ? null : Math.max(0, onlineLimit - usage.onlineSeconds)),
    onlinePercent: onlineLimit === null ? null : pct(usage.onlineSeconds, onlineLimit),
    validitySeconds: validity,
  };
}
