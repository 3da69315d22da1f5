import { describe, expect, it } from 'vitest';
import type { SessionRecord, UsageTotals } from '../../domain/usage.js';
import type { HotspotStore, SessionUpdate } from '../../store/hotspot-store.js';
import { makeSessionRecord } from '../fixtures.js';
import type { MakeStore } from './types.js';
import { withStore } from './with-store.js';

const T0 = Date.parse('2026-03-01T10:00:00.000Z');
const GIGA = 2 ** 32;

const session = (overrides: Partial<SessionRecord> = {}): SessionRecord => makeSessionRecord(overrides);

const totals = (downloadBytes: number, uploadBytes: number, onlineSeconds: number): UsageTotals => ({
  downloadBytes,
  uploadBytes,
  onlineSeconds,
});

function insert(s: SessionRecord, delta: UsageTotals, day = '2026-03-01'): SessionUpdate {
  return { session: { ...s, version: 0 }, expectedVersion: null, delta, day };
}

function next(
  s: SessionRecord,
  changes: Partial<SessionRecord>,
  delta: UsageTotals,
  day = '2026-03-01',
): SessionUpdate {
  return { session: { ...s, ...changes, version: s.version + 1 }, expectedVersion: s.version, delta, day };
}

/**
 * Usage: sessions written by insert or compare-and-set together with the voucher totals and
 * the day bucket (one atomic step), batched reads, open and stale sessions.
 */
export function usageSuite(makeStore: MakeStore): void {
  const test = (name: string, fn: (store: HotspotStore) => Promise<void>) => it(name, () => withStore(makeStore, fn));

  describe('usage', () => {
    test('a new session is inserted once, with every field kept', async (store) => {
      const s = session({
        customerId: 'cus-1',
        mac: 'a4:83:e7:12:34:56',
        nasId: 'nas-riga-1',
        inputBytes: 3 * GIGA + 5,
        outputBytes: 7 * GIGA + 11,
        rawInputOctets: 5,
        rawOutputOctets: 11,
        inputWraps: 3,
        outputWraps: 7,
        sessionTime: 600,
        lastEventAt: new Date(T0 + 600_000),
      });
      expect(await store.usage.getSession(s.sessionId)).toBeNull();
      expect(await store.usage.applySessionUpdate(insert(s, totals(7 * GIGA + 11, 3 * GIGA + 5, 600)))).toBe(true);
      expect(await store.usage.getSession(s.sessionId)).toEqual({ ...s, version: 0 });
      expect(await store.usage.applySessionUpdate(insert(s, totals(1, 1, 1)))).toBe(false);
      expect(await store.usage.getTotals('v-1')).toEqual(totals(7 * GIGA + 11, 3 * GIGA + 5, 600));
    });

    test('updates are compare-and-set on version; a lost update adds nothing', async (store) => {
      const s = session();
      await store.usage.applySessionUpdate(insert(s, totals(100, 10, 60)));
      const v0 = { ...s, version: 0 };
      expect(
        await store.usage.applySessionUpdate(next(v0, { outputBytes: 300, sessionTime: 120 }, totals(200, 0, 60))),
      ).toBe(true);
      expect(await store.usage.getSession(s.sessionId)).toMatchObject({
        version: 1,
        outputBytes: 300,
        sessionTime: 120,
      });
      // A writer that read version 0 loses.
      expect(await store.usage.applySessionUpdate(next(v0, { outputBytes: 999 }, totals(899, 0, 0)))).toBe(false);
      expect(await store.usage.getTotals('v-1')).toEqual(totals(300, 10, 120));
      const closed = next(
        { ...s, version: 1, outputBytes: 300, sessionTime: 120 },
        { closedAt: new Date(T0 + 1), closedReason: 'stop' },
        totals(0, 0, 0),
      );
      expect(await store.usage.applySessionUpdate(closed)).toBe(true);
      expect(await store.usage.getSession(s.sessionId)).toMatchObject({
        version: 2,
        closedReason: 'stop',
        closedAt: new Date(T0 + 1),
      });
      // An update of a session that does not exist fails.
      expect(await store.usage.applySessionUpdate(next(session(), {}, totals(1, 1, 1)))).toBe(false);
      expect(await store.usage.getTotals('v-1')).toEqual(totals(300, 10, 120));
    });

    test('totals: zeros for unknown vouchers; getTotalsMany answers for every id asked', async (store) => {
      await store.usage.applySessionUpdate(insert(session({ voucherId: 'v-a' }), totals(10, 1, 5)));
      await store.usage.applySessionUpdate(insert(session({ voucherId: 'v-a' }), totals(20, 2, 5)));
      await store.usage.applySessionUpdate(insert(session({ voucherId: 'v-b' }), totals(2 ** 40, 2 ** 35, 1)));
      expect(await store.usage.getTotals('v-none')).toEqual(totals(0, 0, 0));
      const many = await store.usage.getTotalsMany(['v-a', 'v-b', 'v-none']);
      expect(many.size).toBe(3);
      expect(many.get('v-a')).toEqual(totals(30, 3, 10));
      expect(many.get('v-b')).toEqual(totals(2 ** 40, 2 ** 35, 1));
      expect(many.get('v-none')).toEqual(totals(0, 0, 0));
      expect((await store.usage.getTotalsMany([])).size).toBe(0);
    });

    test('dailyHistory sums the asked vouchers per day, range inclusive, ascending, empty days left out', async (store) => {
      const a = session({ voucherId: 'v-a' });
      await store.usage.applySessionUpdate(insert(a, totals(100, 10, 60), '2026-02-28'));
      const a0 = { ...a, version: 0 };
      await store.usage.applySessionUpdate(next(a0, {}, totals(50, 5, 30), '2026-03-02'));
      await store.usage.applySessionUpdate(insert(session({ voucherId: 'v-b' }), totals(1000, 100, 600), '2026-03-02'));
      await store.usage.applySessionUpdate(insert(session({ voucherId: 'v-b' }), totals(1, 1, 1), '2026-03-05'));
      await store.usage.applySessionUpdate(insert(session({ voucherId: 'v-other' }), totals(7, 7, 7), '2026-03-02'));
      // A zero delta (e.g. closing a silent session) makes no day.
      await store.usage.applySessionUpdate(insert(session({ voucherId: 'v-a' }), totals(0, 0, 0), '2026-03-01'));
      expect(await store.usage.dailyHistory(['v-a', 'v-b'], '2026-02-28', '2026-03-04')).toEqual([
        { day: '2026-02-28', ...totals(100, 10, 60) },
        { day: '2026-03-02', ...totals(1050, 105, 630) },
      ]);
      expect(await store.usage.dailyHistory(['v-a', 'v-b'], '2026-03-02', '2026-03-05')).toHaveLength(2);
      expect(await store.usage.dailyHistory(['v-none'], '2026-01-01', '2026-12-31')).toEqual([]);
      expect(await store.usage.dailyHistory([], '2026-01-01', '2026-12-31')).toEqual([]);
    });

    test('openSessions: not closed, seen after the cut-off, of the asked vouchers only', async (store) => {
      const live = session({ voucherId: 'v-a', lastEventAt: new Date(T0 + 60_000) });
      const silent = session({ voucherId: 'v-a', lastEventAt: new Date(T0 - 3_600_000) });
      const closed = session({
        voucherId: 'v-b',
        lastEventAt: new Date(T0 + 60_000),
        closedAt: new Date(T0 + 60_000),
        closedReason: 'stop',
      });
      const other = session({ voucherId: 'v-c', lastEventAt: new Date(T0 + 60_000) });
      const liveB = session({ voucherId: 'v-b', lastEventAt: new Date(T0 + 1) });
      for (const s of [live, silent, closed, other, liveB])
        await store.usage.applySessionUpdate(insert(s, totals(1, 1, 1)));
      const open = await store.usage.openSessions(['v-a', 'v-b'], new Date(T0));
      expect(open.map((s) => s.sessionId).sort()).toEqual([live.sessionId, liveB.sessionId].sort());
      expect(await store.usage.openSessions([], new Date(0))).toEqual([]);
    });

    test('staleSessions: open sessions silent since the cut-off, oldest first, up to the limit', async (store) => {
      const old1 = session({ lastEventAt: new Date(T0 - 3_000_000) });
      const old2 = session({ lastEventAt: new Date(T0 - 2_000_000) });
      const edge = session({ lastEventAt: new Date(T0) });
      const fresh = session({ lastEventAt: new Date(T0 + 1) });
      const closed = session({ lastEventAt: new Date(T0 - 9_000_000), closedAt: new Date(T0), closedReason: 'stop' });
      for (const s of [edge, fresh, old2, closed, old1])
        await store.usage.applySessionUpdate(insert(s, totals(0, 0, 0)));
      expect((await store.usage.staleSessions(new Date(T0), 10)).map((s) => s.sessionId)).toEqual([
        old1.sessionId,
        old2.sessionId,
        edge.sessionId,
      ]);
      expect((await store.usage.staleSessions(new Date(T0), 1)).map((s) => s.sessionId)).toEqual([old1.sessionId]);
      // Closing one takes it out.
      await store.usage.applySessionUpdate(
        next({ ...old1, version: 0 }, { closedAt: new Date(T0), closedReason: 'stale' }, totals(0, 0, 0)),
      );
      expect((await store.usage.staleSessions(new Date(T0), 10)).map((s) => s.sessionId)).toEqual([
        old2.sessionId,
        edge.sessionId,
      ]);
    });

    test('of 50 parallel updates with the same expected version exactly one applies, counted once', async (store) => {
      const s = session({ voucherId: 'v-race' });
      await store.usage.applySessionUpdate(insert(s, totals(10, 10, 10)));
      const v0 = { ...s, version: 0 };
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          store.usage.applySessionUpdate(next(v0, { outputBytes: 1000 + i }, totals(1000, 100, 60))),
        ),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await store.usage.getTotals('v-race')).toEqual(totals(1010, 110, 70));
      expect(await store.usage.dailyHistory(['v-race'], '2026-03-01', '2026-03-01')).toEqual([
        { day: '2026-03-01', ...totals(1010, 110, 70) },
      ]);
      expect(await store.usage.getSession(s.sessionId)).toMatchObject({
        version: 1,
        outputBytes: 1000 + results.indexOf(true),
      });
    });

    test('of 50 parallel inserts of one new session exactly one applies', async (store) => {
      const s = session({ voucherId: 'v-first' });
      const results = await Promise.all(
        Array.from({ length: 50 }, () => store.usage.applySessionUpdate(insert(s, totals(5, 5, 5)))),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await store.usage.getTotals('v-first')).toEqual(totals(5, 5, 5));
    });

    test('returns copies', async (store) => {
      const s = session();
      await store.usage.applySessionUpdate(insert(s, totals(1, 2, 3)));
      const got = (await store.usage.getSession(s.sessionId)) as SessionRecord;
      got.inputBytes = 999;
      got.lastEventAt.setTime(0);
      const t = await store.usage.getTotals('v-1');
      t.downloadBytes = 999;
      expect(await store.usage.getSession(s.sessionId)).toMatchObject({ inputBytes: 0, lastEventAt: new Date(T0) });
      expect(await store.usage.getTotals('v-1')).toEqual(totals(1, 2, 3));
    });
  });
}
