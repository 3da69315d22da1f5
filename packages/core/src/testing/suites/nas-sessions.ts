import { describe, expect, it } from 'vitest';
import type { SessionRecord } from '../../domain/usage.js';
import type { HotspotStore } from '../../store/hotspot-store.js';
import { testId } from '../fixtures.js';
import type { MakeStore } from './types.js';
import { withStore } from './with-store.js';

const T0 = Date.parse('2026-03-01T10:00:00.000Z');
const ZERO = { downloadBytes: 0, uploadBytes: 0, onlineSeconds: 0 };

function session(overrides: Partial<SessionRecord> = {}): SessionRecord {
  return {
    sessionId: testId('sess'),
    voucherId: 'v-1',
    nasId: 'nas-1',
    inputBytes: 10,
    outputBytes: 20,
    sessionTime: 30,
    rawInputOctets: 10,
    rawOutputOctets: 20,
    inputWraps: 0,
    outputWraps: 0,
    startedAt: new Date(T0),
    lastEventAt: new Date(T0),
    version: 0,
    ...overrides,
  };
}

async function put(store: HotspotStore, s: SessionRecord): Promise<SessionRecord> {
  expect(
    await store.usage.applySessionUpdate({ session: s, expectedVersion: null, delta: ZERO, day: '2026-03-01' }),
  ).toBe(true);
  return s;
}

/** Sessions by NAS: the open ones, and closing them all when the NAS says it restarted. */
export function nasSessionsSuite(makeStore: MakeStore): void {
  const test = (name: string, fn: (store: HotspotStore) => Promise<void>) => it(name, () => withStore(makeStore, fn));

  describe('sessions by NAS', () => {
    test('openSessionsByNas lists the open sessions of one NAS, oldest first', async (store) => {
      const late = await put(store, session({ lastEventAt: new Date(T0 + 60_000) }));
      const early = await put(store, session());
      await put(store, session({ nasId: 'nas-2' }));
      await put(store, session({ closedAt: new Date(T0), closedReason: 'stop' }));
      const open = await store.usage.openSessionsByNas('nas-1', 10);
      expect(open.map((s) => s.sessionId)).toEqual([early.sessionId, late.sessionId]);
      expect(open[0]).toEqual(early);
      expect(await store.usage.openSessionsByNas('nas-1', 1)).toHaveLength(1);
      expect(await store.usage.openSessionsByNas('nas-9', 10)).toEqual([]);
    });

    test('closeNasSessions closes what the NAS had before it restarted, and nothing else', async (store) => {
      const before = await put(store, session());
      const after = await put(store, session({ lastEventAt: new Date(T0 + 120_000) }));
      const elsewhere = await put(store, session({ nasId: 'nas-2' }));
      const at = new Date(T0 + 60_000);
      const closed = await store.usage.closeNasSessions('nas-1', at);
      expect(closed).toEqual([{ ...before, closedAt: at, closedReason: 'nas-restart', version: 1 }]);
      expect(await store.usage.getSession(before.sessionId)).toEqual(closed[0]);
      expect((await store.usage.getSession(after.sessionId))?.closedAt).toBeUndefined();
      expect((await store.usage.getSession(elsewhere.sessionId))?.closedAt).toBeUndefined();
      expect(await store.usage.closeNasSessions('nas-1', at)).toEqual([]);
      expect((await store.usage.openSessionsByNas('nas-1', 10)).map((s) => s.sessionId)).toEqual([after.sessionId]);
    });

    test('a compare-and-set racing a NAS restart loses and sees the closed session', async (store) => {
      const s = await put(store, session());
      await store.usage.closeNasSessions('nas-1', new Date(T0 + 1));
      const update = {
        session: { ...s, sessionTime: 90, version: 1 },
        expectedVersion: 0,
        delta: { downloadBytes: 0, uploadBytes: 0, onlineSeconds: 60 },
        day: '2026-03-01',
      };
      expect(await store.usage.applySessionUpdate(update)).toBe(false);
      expect(await store.usage.getTotals('v-1')).toEqual(ZERO);
    });

    test('parallel restarts of one NAS close each session once', async (store) => {
      for (let i = 0; i < 10; i++) await put(store, session());
      const at = new Date(T0 + 1);
      const results = await Promise.all(Array.from({ length: 5 }, () => store.usage.closeNasSessions('nas-1', at)));
      expect(results.flat()).toHaveLength(10);
      expect(new Set(results.flat().map((s) => s.sessionId)).size).toBe(10);
    });
  });
}
