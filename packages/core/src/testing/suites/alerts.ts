import { describe, expect, it } from 'vitest';
import type { BalanceAlert } from '../../domain/sms.js';
import type { HotspotStore } from '../../store/hotspot-store.js';
import { testId } from '../fixtures.js';
import type { MakeStore } from './types.js';
import { withStore } from './with-store.js';

const T0 = Date.parse('2026-03-01T10:00:00.000Z');

function alert(overrides: Partial<BalanceAlert> = {}): BalanceAlert {
  return {
    id: testId('alert'),
    gatewayId: 'gw-1',
    amount: 3.5,
    threshold: 10,
    createdAt: new Date(T0),
    ...overrides,
  };
}

/** Dashboard low-balance alerts: newest first, dismiss once (also under concurrency). */
export function alertsSuite(makeStore: MakeStore): void {
  const test = (name: string, fn: (store: HotspotStore) => Promise<void>) => it(name, () => withStore(makeStore, fn));

  describe('alerts', () => {
    test('lists alerts newest first with every field', async (store) => {
      const older = alert({ createdAt: new Date(T0), currency: 'USD', amount: 0.25 });
      const newer = alert({ createdAt: new Date(T0 + 60_000), gatewayId: 'gw-2', amount: -1 });
      await store.alerts.insert(older);
      await store.alerts.insert(newer);
      const listed = await store.alerts.list();
      expect(listed).toEqual([newer, older]);
      expect(listed[0]?.createdAt).toBeInstanceOf(Date);
      expect(listed[1]?.currency).toBe('USD');
    });

    test('dismiss hides an alert unless dismissed ones are asked for, and works once', async (store) => {
      const a = alert();
      const b = alert({ createdAt: new Date(T0 + 1) });
      await store.alerts.insert(a);
      await store.alerts.insert(b);
      const at = new Date(T0 + 5_000);
      expect(await store.alerts.dismiss(a.id, at)).toBe(true);
      expect(await store.alerts.dismiss(a.id, new Date(T0 + 9_000))).toBe(false);
      expect(await store.alerts.dismiss('no-such-alert', at)).toBe(false);
      expect((await store.alerts.list()).map((x) => x.id)).toEqual([b.id]);
      const all = await store.alerts.list({ includeDismissed: true });
      expect(all.map((x) => x.id)).toEqual([b.id, a.id]);
      expect(all[1]?.dismissedAt?.getTime()).toBe(at.getTime());
    });

    test('returned alerts are copies', async (store) => {
      const a = alert();
      await store.alerts.insert(a);
      const [got] = await store.alerts.list();
      if (got) got.amount = 999;
      expect((await store.alerts.list())[0]?.amount).toBe(3.5);
    });

    test('of racing dismissals of one alert exactly one succeeds', async (store) => {
      const a = alert();
      await store.alerts.insert(a);
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, i) => store.alerts.dismiss(a.id, new Date(T0 + i))),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await store.alerts.list()).toEqual([]);
    });
  });
}
