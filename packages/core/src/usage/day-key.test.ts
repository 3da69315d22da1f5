import { describe, expect, it } from 'vitest';
import { dayKey, isTimeZone } from './day-key.js';

describe('dayKey', () => {
  it('gives the calendar day in the time zone', () => {
    const lateUtc = new Date('2026-03-01T22:30:00Z');
    expect(dayKey(lateUtc, 'UTC')).toBe('2026-03-01');
    expect(dayKey(lateUtc, 'Europe/Riga')).toBe('2026-03-02');
    expect(dayKey(new Date('2026-03-01T03:00:00Z'), 'America/Los_Angeles')).toBe('2026-02-28');
    expect(dayKey(new Date('2026-01-01T10:59:59Z'), 'Pacific/Auckland')).toBe('2026-01-01');
    expect(dayKey(new Date('2026-01-01T11:00:00Z'), 'Pacific/Auckland')).toBe('2026-01-02');
    expect(dayKey(new Date('2026-06-15T12:00:00Z'))).toBe('2026-06-15');
  });
  it('follows daylight-saving changes (Riga: UTC+3 in summer)', () => {
    expect(dayKey(new Date('2026-07-01T21:30:00Z'), 'Europe/Riga')).toBe('2026-07-02');
    expect(dayKey(new Date('2026-01-01T21:30:00Z'), 'Europe/Riga')).toBe('2026-01-01');
  });
  it('a day remembered per UTC quarter hour is the day of every minute in it (odd offsets, DST)', () => {
    const zones = ['Asia/Kathmandu', 'Australia/Eucla', 'Pacific/Chatham', 'Australia/Lord_Howe', 'America/St_Johns'];
    // Around Lord Howe's and Chatham's April DST end and St. John's November one, minute by minute.
    const spans = ['2026-04-04T10:00:00Z', '2026-11-01T00:00:00Z'];
    for (const timeZone of zones) {
      const intl = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
      for (const start of spans) {
        for (let minute = 0; minute < 36 * 60; minute += 7) {
          const at = new Date(Date.parse(start) + minute * 60_000);
          expect(dayKey(at, timeZone), `${timeZone} ${at.toISOString()}`).toBe(intl.format(at));
        }
      }
    }
  });
  it('knows time zones', () => {
    expect(isTimeZone('Europe/Riga')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
    expect(isTimeZone('')).toBe(false);
  });
});
