import { describe, expect, it } from 'vitest';
import { formatBytes, formatDateTime, formatDuration, templateValues, usageFigures } from './template-values.js';

describe('template values', () => {
  it('formats bytes in SI units and durations for people', () => {
    expect([512, 1000, 1_500_000, 180_000_000, 2e9, 1.85e9, 12.34e12].map(formatBytes)).toEqual([
      '512 B',
      '1 KB',
      '1.5 MB',
      '180 MB',
      '2 GB',
      '1.9 GB',
      '12.3 TB',
    ]);
    expect([0, 59, 60, 2700, 3600, 5400, 86_400, 97_200].map(formatDuration)).toEqual([
      '0s',
      '59s',
      '1m',
      '45m',
      '1h',
      '1h 30m',
      '1d',
      '1d 3h',
    ]);
  });

  it("formats dates in the location's time zone, UTC for an unknown zone", () => {
    const at = new Date('2026-01-31T16:00:00Z');
    expect(formatDateTime(at, 'Europe/Riga')).toBe('2026-01-31 18:00');
    expect(formatDateTime(at, 'America/New_York')).toBe('2026-01-31 11:00');
    expect(formatDateTime(at, 'Not/AZone')).toBe('2026-01-31 16:00');
    expect(
      templateValues({ voucher: { expiresAt: at }, location: { timezone: 'Asia/Tokyo' } })['voucher.expiresAt'],
    ).toBe('2026-02-01 01:00');
  });

  it('measures the fuller of separate download and upload caps', () => {
    const limits = { simultaneousDevices: 1, expiry: { kind: 'after-activation' as const, seconds: 60 } };
    const figures = usageFigures(
      {
        limits: { ...limits, trafficLimit: { downloadBytes: 1000, uploadBytes: 100 } },
        usage: { downloadBytes: 500, uploadBytes: 95, onlineSeconds: 0 },
      },
      'traffic',
    );
    expect(figures).toEqual({ percent: 95, used: 95, limit: 100, unit: 'bytes' });
    expect(
      usageFigures({ limits, usage: { downloadBytes: 1, uploadBytes: 1, onlineSeconds: 1 } }, 'traffic'),
    ).toBeNull();
    expect(usageFigures({ limits, usage: { downloadBytes: 1, uploadBytes: 1, onlineSeconds: 1 } }, 'time')).toBeNull();
  });
});
