import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AccountingEvent, SessionRecord, UsageTotals } from '../domain/usage.js';
import { applyAccountingEvent, GIGAWORD } from './session-accounting.js';

const T0 = Date.parse('2026-03-01T10:00:00Z');

function ev(
  type: AccountingEvent['type'],
  sessionTime: number,
  input: number,
  output: number,
  gigawords = true,
): AccountingEvent {
  const e: AccountingEvent = {
    type,
    sessionId: 's-1',
    voucherId: 'v-1',
    inputOctets: input % GIGAWORD,
    outputOctets: output % GIGAWORD,
    sessionTime,
    eventTime: new Date(T0 + sessionTime * 1000),
  };
  if (gigawords) {
    e.inputGigawords = Math.floor(input / GIGAWORD);
    e.outputGigawords = Math.floor(output / GIGAWORD);
  }
  return e;
}

/** Folds events through the pure step, as the store would, and sums the deltas. */
function replay(events: AccountingEvent[]): { session: SessionRecord | null; total: UsageTotals } {
  let session: SessionRecord | null = null;
  const total: UsageTotals = { downloadBytes: 0, uploadBytes: 0, onlineSeconds: 0 };
  for (const e of events) {
    const step = applyAccountingEvent(session, e);
    if (!step.changed) continue;
    session = step.session;
    total.downloadBytes += step.delta.downloadBytes;
    total.uploadBytes += step.delta.uploadBytes;
    total.onlineSeconds += step.delta.onlineSeconds;
  }
  return { session, total };
}

describe('applyAccountingEvent', () => {
  it('input octets are upload, output octets download, with gigawords as 64-bit counters', () => {
    const { total, session } = replay([ev('start', 0, 0, 0), ev('interim', 300, 2 * GIGAWORD + 10, 5 * GIGAWORD + 20)]);
    expect(total).toEqual({ uploadBytes: 2 * GIGAWORD + 10, downloadBytes: 5 * GIGAWORD + 20, onlineSeconds: 300 });
    expect(session).toMatchObject({ inputWraps: 2, rawInputOctets: 10, outputWraps: 5, rawOutputOctets: 20 });
  });

  it('a replay adds nothing and needs no write', () => {
    const first = applyAccountingEvent(null, ev('interim', 60, 100, 200));
    const again = applyAccountingEvent(first.session, ev('interim', 60, 100, 200));
    expect(again.changed).toBe(false);
    expect(again.delta).toEqual({ downloadBytes: 0, uploadBytes: 0, onlineSeconds: 0 });
  });

  it('an older interim delivered late adds nothing', () => {
    const { total } = replay([ev('interim', 600, 5000, 9000), ev('interim', 300, 2000, 4000)]);
    expect(total).toEqual({ uploadBytes: 5000, downloadBytes: 9000, onlineSeconds: 600 });
  });

  it('infers a 32-bit wrap from a NAS without gigawords when a newer counter went down', () => {
    const events = [
      ev('start', 0, 0, 0, false),
      ev('interim', 300, 0, 4_000_000_000, false),
      ev('interim', 600, 0, 200_000_000, false), // wrapped: 2^32 + 200 MB
      ev('interim', 300, 0, 4_000_000_000, false), // old replay: ignored, no second wrap
      ev('interim', 600, 0, 200_000_000, false), // replay of the newest
      ev('stop', 900, 0, 900_000_000, false),
    ];
    const { total, session } = replay(events);
    expect(total.downloadBytes).toBe(GIGAWORD + 900_000_000);
    expect(session).toMatchObject({ outputWraps: 1, rawOutputOctets: 900_000_000, closedReason: 'stop' });
  });

  it('does not infer a wrap from an event that is not newer', () => {
    const { total } = replay([ev('interim', 600, 0, 4_000_000_000, false), ev('interim', 600, 0, 100, false)]);
    expect(total.downloadBytes).toBe(4_000_000_000);
  });

  it('takes counters above 32 bits without gigawords as 64-bit values', () => {
    const e: AccountingEvent = { ...ev('interim', 60, 0, 0, false), outputOctets: 3 * GIGAWORD + 7 };
    expect(applyAccountingEvent(null, e).delta.downloadBytes).toBe(3 * GIGAWORD + 7);
  });

  it('a session may start with an interim or a stop; the start estimate comes from the session time', () => {
    const interim = applyAccountingEvent(null, ev('interim', 120, 10, 20));
    expect(interim.session.startedAt).toEqual(new Date(T0));
    expect(interim.session.closedAt).toBeUndefined();
    const stop = applyAccountingEvent(null, ev('stop', 120, 10, 20));
    expect(stop).toMatchObject({ closed: true, session: { closedReason: 'stop' } });
  });

  it('a stop closes once; a later stop replay changes nothing', () => {
    const opened = applyAccountingEvent(null, ev('interim', 60, 1, 1));
    const stopped = applyAccountingEvent(opened.session, ev('stop', 90, 2, 2));
    expect(stopped.closed).toBe(true);
    const again = applyAccountingEvent(stopped.session, ev('stop', 90, 2, 2));
    expect(again).toMatchObject({ changed: false, closed: false });
  });

  it('a session closed for silence reopens when the NAS speaks again, and a stop replaces the silence close', () => {
    const opened = applyAccountingEvent(null, ev('interim', 60, 1, 1)).session;
    const stale: SessionRecord = { ...opened, closedAt: new Date(T0 + 999_000), closedReason: 'stale' };
    const reopened = applyAccountingEvent(stale, ev('interim', 120, 5, 5));
    expect(reopened.session.closedAt).toBeUndefined();
    expect(reopened.delta).toEqual({ uploadBytes: 4, downloadBytes: 4, onlineSeconds: 60 });
    const stopped = applyAccountingEvent(stale, ev('stop', 130, 6, 6));
    expect(stopped).toMatchObject({
      closed: false,
      session: { closedReason: 'stop', closedAt: new Date(T0 + 130_000) },
    });
  });
});

/** A session's true history: cumulative 64-bit counters rising with the session time. */
const sessionHistory = fc
  .array(
    fc.record({
      seconds: fc.integer({ min: 1, max: 3600 }),
      up: fc.integer({ min: 0, max: 3 * GIGAWORD }),
      down: fc.integer({ min: 0, max: 6 * GIGAWORD }),
    }),
    { minLength: 1, maxLength: 12 },
  )
  .map((steps) => {
    const events: AccountingEvent[] = [ev('start', 0, 0, 0)];
    let t = 0;
    let up = 0;
    let down = 0;
    steps.forEach((s, i) => {
      t += s.seconds;
      up += s.up;
      down += s.down;
      events.push(ev(i === steps.length - 1 ? 'stop' : 'interim', t, up, down));
    });
    return { events, expected: { uploadBytes: up, downloadBytes: down, onlineSeconds: t } };
  });

describe('properties (fast-check)', () => {
  it('any duplication and reordering of a session’s events (with gigawords) yields the same totals', () => {
    fc.assert(
      fc.property(
        sessionHistory.chain(({ events, expected }) =>
          fc
            .array(fc.integer({ min: 0, max: events.length - 1 }), { maxLength: 30 })
            .chain((extra) =>
              fc.shuffledSubarray([...events, ...extra.map((i) => events[i] as AccountingEvent)], {
                minLength: events.length + extra.length,
              }),
            )
            .map((delivered) => ({ delivered, expected })),
        ),
        ({ delivered, expected }) => {
          const { total, session } = replay(delivered);
          expect(total).toEqual(expected);
          expect(session).toMatchObject({
            inputBytes: expected.uploadBytes,
            outputBytes: expected.downloadBytes,
            closedReason: 'stop',
          });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('without gigawords, in-order delivery with replays of earlier events counts every wrap once', () => {
    const history = fc
      .array(
        fc.record({ seconds: fc.integer({ min: 1, max: 600 }), down: fc.integer({ min: 0, max: GIGAWORD - 1 }) }),
        {
          minLength: 1,
          maxLength: 15,
        },
      )
      .map((steps) => {
        let t = 0;
        let down = 0;
        const events = steps.map((s) => {
          t += s.seconds;
          down += s.down;
          return ev('interim', t, 0, down, false);
        });
        return { events, expected: down };
      });
    fc.assert(
      fc.property(
        history.chain(({ events, expected }) =>
          fc.array(fc.nat(), { minLength: events.length, maxLength: events.length }).map((replays) => ({
            // After each event, replay some event already delivered (never one from the future).
            delivered: events.flatMap((e, i) => [e, events[(replays[i] as number) % (i + 1)] as AccountingEvent]),
            expected,
          })),
        ),
        ({ delivered, expected }) => {
          expect(replay(delivered).total.downloadBytes).toBe(expected);
        },
      ),
      { numRuns: 300 },
    );
  });
});
