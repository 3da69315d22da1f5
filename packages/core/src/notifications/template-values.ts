import type { Customer } from '../domain/customer.js';
import type { Location } from '../domain/location.js';
import type { Voucher } from '../domain/voucher.js';

/** Which limit a usage threshold watches. */
export type UsageThresholdKind = 'traffic' | 'time';

/** A voucher's use of one limit. */
export interface UsageFigures {
  /** Exact percentage of the limit used (may exceed 100). */
  percent: number;
  used: number;
  limit: number;
  unit: 'bytes' | 'seconds';
}

/**
 * How much of its traffic or online-time limit a voucher has used; `null` when it has no
 * such limit. With separate download and upload caps, the fuller one counts.
 */
export function usageFigures(
  voucher: Pick<Voucher, 'limits' | 'usage'>,
  kind: UsageThresholdKind,
): UsageFigures | null {
  if (kind === 'time') {
    const limit = voucher.limits.onlineTimeSeconds;
    if (!limit || limit <= 0) return null;
    const used = voucher.usage.onlineSeconds;
    return { percent: (used / limit) * 100, used, limit, unit: 'seconds' };
  }
  const traffic = voucher.limits.trafficLimit;
  if (!traffic) return null;
  if ('totalBytes' in traffic) {
    if (traffic.totalBytes <= 0) return null;
    const used = voucher.usage.downloadBytes + voucher.usage.uploadBytes;
    return { percent: (used / traffic.totalBytes) * 100, used, limit: traffic.totalBytes, unit: 'bytes' };
  }
  const sides = [
    { used: voucher.usage.downloadBytes, limit: traffic.downloadBytes },
    { used: voucher.usage.uploadBytes, limit: traffic.uploadBytes },
  ].filter((s) => s.limit > 0);
  if (sides.length === 0) return null;
  const fullest = sides.reduce((a, b) => (b.used / b.limit > a.used / a.limit ? b : a));
  return { percent: (fullest.used / fullest.limit) * 100, ...fullest, unit: 'bytes' };
}

/** Bytes in SI units, as plans are sold: `1.8 GB`, `250 MB`, `512 B`. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  const shown = unit === 0 || value >= 100 ? Math.round(value).toString() : (Math.round(value * 10) / 10).toString();
  return `${shown} ${units[unit]}`;
}

/** A duration for people: `2d 3h`, `1h 30m`, `45m`, `20s`. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s}s`;
  const days = Math.floor(s / 86_400);
  const hours = Math.floor((s % 86_400) / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  if (days > 0) return hours > 0 ? `${days}d ${hours}h` : `${days}d`;
  if (hours > 0) return minutes > 0 ? `${hours}h ${minutes}m` : `${hours}h`;
  return `${minutes}m`;
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();

// Building an Intl.DateTimeFormat costs far more than using one: keep one per zone.
function dateFormat(timeZone: string): Intl.DateTimeFormat | null {
  let format = dateFormats.get(timeZone);
  if (!format) {
    try {
      format = new Intl.DateTimeFormat('en-US', {
        timeZone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      });
    } catch {
      return null;
    }
    if (dateFormats.size < 1000) dateFormats.set(timeZone, format);
  }
  return format;
}

/** `YYYY-MM-DD HH:mm` in `timeZone` (UTC when the zone is unknown). */
export function formatDateTime(date: Date, timeZone = 'UTC'): string {
  const format = dateFormat(timeZone) ?? (dateFormat('UTC') as Intl.DateTimeFormat);
  const parts = Object.fromEntries(format.formatToParts(date).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

/** What a notification is about, to fill a template from. */
export interface TemplateSubject {
  link?: string;
  customer?: Partial<Pick<Customer, 'name' | 'phone' | 'email'>> | null;
  voucher?: Partial<Pick<Voucher, 'code' | 'shortCode' | 'expiresAt' | 'planName'>> | null;
  location?: Partial<Pick<Location, 'name' | 'timezone'>> | null;
  usage?: { kind: UsageThresholdKind; threshold: number; figures?: UsageFigures | null } | null;
}

/** The template variables (by path, without the dot) for a subject. */
export function templateValues(subject: TemplateSubject): Record<string, string | undefined> {
  const { customer, voucher, location, usage } = subject;
  const values: Record<string, string | undefined> = {
    link: subject.link,
    'customer.name': customer?.name,
    'customer.phone': customer?.phone,
    'customer.email': customer?.email,
    'voucher.code': voucher?.code,
    'voucher.shortCode': voucher?.shortCode,
    'voucher.expiresAt': voucher?.expiresAt ? formatDateTime(voucher.expiresAt, location?.timezone) : undefined,
    'plan.name': voucher?.planName,
    'location.name': location?.name,
  };
  if (usage) {
    values['usage.percent'] = String(usage.threshold);
    values['usage.kind'] = usage.kind === 'traffic' ? 'data' : 'online time';
    const f = usage.figures;
    if (f) {
      const fmt = f.unit === 'bytes' ? formatBytes : formatDuration;
      values['usage.used'] = fmt(f.used);
      values['usage.limit'] = fmt(f.limit);
      values['usage.remaining'] = fmt(Math.max(0, f.limit - f.used));
    }
  }
  return values;
}
