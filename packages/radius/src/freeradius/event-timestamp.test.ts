import { describe, expect, it } from 'vitest';
import { parseEventTimestamp } from './event-timestamp.js';

describe('parseEventTimestamp reads FreeRADIUS dates', () => {
  it('in UTC, with a known abbreviation, or with an offset', () => {
    expect(parseEventTimestamp('Nov 14 2023 22:13:20 UTC')?.toISOString()).toBe('2023-11-14T22:13:20.000Z');
    expect(parseEventTimestamp('Mar  1 2026 12:00:00 EET')?.toISOString()).toBe('2026-03-01T10:00:00.000Z');
    expect(parseEventTimestamp('Jul  1 2026 12:00:00 EEST')?.toISOString()).toBe('2026-07-01T09:00:00.000Z');
    expect(parseEventTimestamp('Jul  1 2026 12:00:00 -0500')?.toISOString()).toBe('2026-07-01T17:00:00.000Z');
  });

  it('epoch seconds as a number or digits', () => {
    expect(parseEventTimestamp(1_700_000_000)?.toISOString()).toBe('2023-11-14T22:13:20.000Z');
    expect(parseEventTimestamp('1700000000')?.toISOString()).toBe('2023-11-14T22:13:20.000Z');
  });

  it('an ambiguous zone only with the FreeRADIUS host’s IANA zone', () => {
    expect(parseEventTimestamp('Jul  1 2026 12:00:00 IST')).toBeNull();
    expect(parseEventTimestamp('Jul  1 2026 12:00:00 IST', 'Asia/Kolkata')?.toISOString()).toBe(
      '2026-07-01T06:30:00.000Z',
    );
    expect(parseEventTimestamp('Jan 15 2026 12:00:00 XYZ', 'Europe/Riga')?.toISOString()).toBe(
      '2026-01-15T10:00:00.000Z',
    );
  });

  it('anything else is not a date', () => {
    for (const text of ['', 'yesterday', 'Foo 14 2023 22:13:20 UTC', '2023-11-14'])
      expect(parseEventTimestamp(text)).toBeNull();
  });
});
