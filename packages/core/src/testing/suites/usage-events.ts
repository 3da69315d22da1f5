import { describe, expect, it } from 'vitest';
import type { SessionRecord, UsageTotals } from '../../domain/usage.js';
import { HotspotKitError } from '../../errors.js';
import type { HotspotStore, SessionEventsWrite } from '../../store/hotspot-store.js';
import { makeCustomer, makeSessionRecord, makeVoucherRecord } from '../fixtures.js';
import type { MakeStore } from './types.js';
import { withStore } from './with-store.js';

const T0 = Date.parse('2026-03-01T10:00:00.000Z');
const AFTER = new Date(T0 - 900_000);

const totals = (downloadBytes: number, uploadBytes: number, onlineSeconds: number): UsageTotals => ({
  downloadBytes,
  uploadBytes,
  onlineSeconds,
});

const session = (voucherId: string, overrides: Partial<SessionRecord> = {}): SessionRecord =>
  makeSessionRecord({ voucherId, ...overrides });

function insert(s: SessionRecord, delta: UsageTotals, day = '2026-03-01'): SessionEventsWrite {
  return { session: s, expectedVersion: null, days: [{ day, delta }] };
}

async function voucher(store: HotspotStore, overrides = {}): Promise<string> {
  const v = makeVoucherRecord({ state: 'active', ...overrides });
  await store.vouchers.insert(v);
  return v.id;
}

/**
 * Usage, the accounting batch: `loadForEvents` (sessions, each voucher's customer and time
 * zone) and `applyEvents` (guarded upserts of many sessions with their totals and day buckets
 * in one transaction, the vouchers read back), with the races across concurrent batches.
 */
export function usageEventsSuite(makeStore: MakeStore): void {
  const test = (name: string, fn: (store: HotspotStore) => Promise<void>) => it(name, () => withStore(makeStore, fn));

  describe('usage: accounting batches', () => {
    test('loadForEvents: stored sessions, and each voucher with its customer and time zone', async (store) => {
      await store.locations.upsert({ id: 'loc-riga', name: 'Riga', timezone: 'Europe/Riga', createdAt: new Date(T0) });
      const customer = makeCustomer();
      await store.customers.insert(customer);
      const inRiga = await voucher(store, { customerId: customer.id, locationId: 'loc-riga' });
      const nowhere = await voucher(store);
      const lostLocation = await voucher(store, { locationId: 'loc-gone' });
      const known = session(inRiga, { outputBytes: 77 });
      await store.usage.applyEvents({ writes: [insert(known, totals(77, 0, 0))], voucherIds: [], onlineAfter: AFTER });
      const loaded = await store.usage.loadForEvents(
        [known.sessionId, 'sess-new'],
        [inRiga, nowhere, lostLocation, 'vch-none'],
      );
      expect([...loaded.sessions.keys()]).toEqual([known.sessionId]);
      expect(loaded.sessions.get(known.sessionId)).toEqual({ ...known, version: 0 });
      expect(loaded.vouchers.get(inRiga)).toEqual({
        customerId: customer.id,
        locationId: 'loc-riga',
        timeZone: 'Europe/Riga',
      });
      expect(loaded.vouchers.get(nowhere)).toEqual({ timeZone: 'UTC' });
      expect(loaded.vouchers.get(lostLocation)).toEqual({ locationId: 'loc-gone', timeZone: 'UTC' });
      expect(loaded.vouchers.has('vch-none')).toBe(false);
      const empty = await store.usage.loadForEvents([], []);
      expect([empty.sessions.size, empty.vouchers.size]).toEqual([0, 0]);
    });

    test('applyEvents writes many sessions, their totals and day buckets, and reads the vouchers back', async (store) => {
      const a = await voucher(store);
      const b = await voucher(store);
      const idle = await voucher(store);
      const old = session(a, { outputBytes: 100 });
      await store.usage.applyEvents({ writes: [insert(old, totals(100, 0, 0))], voucherIds: [], onlineAfter: AFTER });
      const fresh = session(b, { outputBytes: 5, lastEventAt: new Date(T0 + 60_000) });
      const result = await store.usage.applyEvents({
        writes: [
          {
            session: { ...old, outputBytes: 400, sessionTime: 120, lastEventAt: new Date(T0 + 120_000) },
            expectedVersion: 0,
            days: [
              { day: '2026-03-01', delta: totals(100, 0, 60) },
              { day: '2026-03-02', delta: totals(200, 0, 60) },
            ],
          },
          insert(fresh, totals(5, 1, 60)),
        ],
        voucherIds: [a, b, idle, 'vch-none'],
        onlineAfter: AFTER,
      });
      expect(result.applied).toEqual([true, true]);
      expect(await store.usage.getSession(old.sessionId)).toMatchObject({ version: 1, outputBytes: 400 });
      expect(await store.usage.getSession(fresh.sessionId)).toMatchObject({ version: 0, outputBytes: 5 });
      expect(await store.usage.dailyHistory([a], '2026-03-01', '2026-03-02')).toEqual([
        { day: '2026-03-01', ...totals(200, 0, 60) },
        { day: '2026-03-02', ...totals(200, 0, 60) },
      ]);
      expect([...result.vouchers.keys()].sort()).toEqual([a, b, idle].sort());
      expect(result.vouchers.get(a)).toMatchObject({
        voucher: { id: a, state: 'active', version: 0 },
        totals: totals(400, 0, 120),
        onlineSessions: 1,
      });
      expect(result.vouchers.get(b)).toMatchObject({ totals: totals(5, 1, 60), onlineSessions: 1 });
      expect(result.vouchers.get(idle)).toMatchObject({ totals: totals(0, 0, 0), onlineSessions: 0 });
      // The voucher comes back whole, and as a copy.
      const got = result.vouchers.get(a);
      expect(got?.voucher).toEqual(await store.vouchers.get(a));
      got?.voucher.devices.push({ mac: '02:00:00:00:00:01', addedAt: new Date(T0), addedBy: 'operator' });
      expect((await store.vouchers.get(a))?.devices).toEqual([]);
    });

    test('online sessions after the batch: closed and silent ones do not count, written ones as written', async (store) => {
      const v = await voucher(store);
      const open = session(v, { lastEventAt: new Date(T0) });
      const closing = session(v, { lastEventAt: new Date(T0) });
      const silent = session(v, { lastEventAt: new Date(AFTER.getTime() - 1) });
      await store.usage.applyEvents({
        writes: [insert(open, totals(1, 1, 1)), insert(closing, totals(1, 1, 1)), insert(silent, totals(1, 1, 1))],
        voucherIds: [v],
        onlineAfter: AFTER,
      });
      const result = await store.usage.applyEvents({
        writes: [
          {
            session: { ...closing, closedAt: new Date(T0 + 1), closedReason: 'stop' },
            expectedVersion: 0,
            days: [],
          },
        ],
        voucherIds: [v],
        onlineAfter: AFTER,
      });
      expect(result.applied).toEqual([true]);
      expect(result.vouchers.get(v)?.onlineSessions).toBe(1);
      expect(result.vouchers.get(v)?.totals).toEqual(totals(3, 3, 3));
    });

    test('a failed guard skips that write only; the others of the batch are stored', async (store) => {
      const v = await voucher(store);
      const s1 = session(v);
      const s2 = session(v);
      await store.usage.applyEvents({
        writes: [insert(s1, totals(10, 0, 0)), insert(s2, totals(0, 0, 0))],
        voucherIds: [],
        onlineAfter: AFTER,
      });
      const other = session(v);
      const result = await store.usage.applyEvents({
        writes: [
          {
            session: { ...s1, outputBytes: 999 },
            expectedVersion: 7,
            days: [{ day: '2026-03-01', delta: totals(989, 0, 0) }],
          },
          insert(other, totals(5, 0, 0)),
          insert(s2, totals(1000, 0, 0)),
          { session: session(v), expectedVersion: 0, days: [{ day: '2026-03-01', delta: totals(3, 0, 0) }] },
        ],
        voucherIds: [v],
        onlineAfter: AFTER,
      });
      expect(result.applied).toEqual([false, true, false, false]);
      expect(result.vouchers.get(v)?.totals).toEqual(totals(15, 0, 0));
      expect(await store.usage.getSession(s1.sessionId)).toMatchObject({ version: 0, outputBytes: 0 });
      expect(await store.usage.dailyHistory([v], '2026-03-01', '2026-03-01')).toEqual([
        { day: '2026-03-01', ...totals(15, 0, 0) },
      ]);
    });

    test('a batch naming one session twice is refused with nothing stored', async (store) => {
      const v = await voucher(store);
      const s = session(v);
      const error = await store.usage
        .applyEvents({
          writes: [insert(session(v), totals(1, 0, 0)), insert(s, totals(1, 0, 0)), insert(s, totals(2, 0, 0))],
          voucherIds: [v],
          onlineAfter: AFTER,
        })
        .then(
          () => null,
          (e: unknown) => e,
        );
      expect(error).toBeInstanceOf(HotspotKitError);
      expect(error).toMatchObject({ code: 'INVALID_INPUT', issues: [{ path: 'writes[2].session.sessionId' }] });
      expect(await store.usage.getTotals(v)).toEqual(totals(0, 0, 0));
    });

    test('an empty batch changes nothing', async (store) => {
      const result = await store.usage.applyEvents({ writes: [], voucherIds: [], onlineAfter: AFTER });
      expect(result.applied).toEqual([]);
      expect(result.vouchers.size).toBe(0);
    });

    test('of 50 parallel batches with one expected version for a session exactly one writes it; every other write counts once', async (store) => {
      const v = await voucher(store);
      const shared = session(v);
      await store.usage.applyEvents({ writes: [insert(shared, totals(10, 0, 0))], voucherIds: [], onlineAfter: AFTER });
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          store.usage.applyEvents({
            writes: [
              insert(session(v), totals(1, 0, 0), i % 2 === 0 ? '2026-03-01' : '2026-03-02'),
              {
                session: { ...shared, outputBytes: 1000 + i },
                expectedVersion: 0,
                days: [{ day: '2026-03-01', delta: totals(1000, 0, 0) }],
              },
            ],
            voucherIds: [v],
            onlineAfter: AFTER,
          }),
        ),
      );
      expect(results.map((r) => r.applied[0])).toEqual(new Array(50).fill(true));
      const winners = results.map((r, i) => (r.applied[1] ? i : -1)).filter((i) => i >= 0);
      expect(winners).toHaveLength(1);
      expect(await store.usage.getTotals(v)).toEqual(totals(10 + 50 + 1000, 0, 0));
      expect(await store.usage.getSession(shared.sessionId)).toMatchObject({
        version: 1,
        outputBytes: 1000 + (winners[0] as number),
      });
      expect(await store.usage.dailyHistory([v], '2026-03-01', '2026-03-02')).toEqual([
        { day: '2026-03-01', ...totals(10 + 25 + 1000, 0, 0) },
        { day: '2026-03-02', ...totals(25, 0, 0) },
      ]);
      // Every batch read the voucher after its own writes.
      for (const r of results) expect(r.vouchers.get(v)?.totals.downloadBytes).toBeGreaterThanOrEqual(11);
    });

    test('20 parallel batches of 10 new sessions over 3 shared vouchers add up exactly', async (store) => {
      const vouchers = [await voucher(store), await voucher(store), await voucher(store)];
      await Promise.all(
        Array.from({ length: 20 }, (_, b) =>
          store.usage.applyEvents({
            writes: Array.from({ length: 10 }, (_, i) =>
              insert(session(vouchers[(b + i) % 3] as string), totals(1000 + i, 10, 60), `2026-03-0${1 + (i % 3)}`),
            ),
            voucherIds: vouchers,
            onlineAfter: AFTER,
          }),
        ),
      );
      const all = await store.usage.getTotalsMany(vouchers);
      const sum = [...all.values()].reduce((acc, t) => acc + t.downloadBytes, 0);
      expect(sum).toBe(20 * (10 * 1000 + 45));
      const history = await store.usage.dailyHistory(vouchers, '2026-03-01', '2026-03-03');
      expect(history.reduce((acc, d) => acc + d.onlineSeconds, 0)).toBe(20 * 10 * 60);
      const open = await store.usage.openSessions(vouchers, AFTER);
      expect(open).toHaveLength(200);
    });
  });
}
