import { describe, expect, it } from 'vitest';
import type { Plan } from '../../domain/plan.js';
import type { HotspotStore } from '../../store/hotspot-store.js';
import { testId } from '../fixtures.js';
import type { MakeStore } from './types.js';
import { withStore } from './with-store.js';

function plan(overrides: Partial<Plan> = {}): Plan {
  return {
    id: testId('plan'),
    name: 'Day pass',
    simultaneousDevices: 2,
    expiry: { kind: 'after-activation', seconds: 86_400 },
    createdAt: new Date('2026-01-01T00:00:00Z'),
    ...overrides,
  };
}

/** Plans: every limit shape round-trips; listed oldest first. */
export function plansSuite(makeStore: MakeStore): void {
  const test = (name: string, fn: (store: HotspotStore) => Promise<void>) => it(name, () => withStore(makeStore, fn));

  describe('plans', () => {
    test('keeps every limit shape and expiry rule', async (store) => {
      const plans = [
        plan({
          downloadKbps: 10_000,
          uploadKbps: 2_000,
          trafficLimit: { totalBytes: 5 * 2 ** 32 + 17 },
          onlineTimeSeconds: 7_200,
        }),
        plan({ trafficLimit: { downloadBytes: 3_000_000_000, uploadBytes: 1_000_000_000 } }),
        plan({ expiry: { kind: 'fixed', validUntil: new Date('2026-12-31T23:59:59.123Z') } }),
        plan({ expiry: { kind: 'after-creation', seconds: 30 * 86_400 }, simultaneousDevices: 5 }),
      ];
      for (const p of plans) await store.plans.insert(p);
      for (const p of plans) expect(await store.plans.get(p.id)).toEqual(p);
      expect(await store.plans.get('no-such-plan')).toBeNull();
    });

    test('lists plans oldest first', async (store) => {
      const names = ['third', 'first', 'second'];
      const at = [3, 1, 2];
      for (let i = 0; i < 3; i++) {
        await store.plans.insert(
          plan({ name: names[i] as string, createdAt: new Date(Date.UTC(2026, 0, at[i] as number)) }),
        );
      }
      expect((await store.plans.list()).map((p) => p.name)).toEqual(['first', 'second', 'third']);
    });

    test('returns copies', async (store) => {
      const p = plan({ expiry: { kind: 'fixed', validUntil: new Date('2026-06-01T00:00:00Z') } });
      await store.plans.insert(p);
      const got = (await store.plans.get(p.id)) as Plan;
      got.name = 'changed';
      (got.expiry as { validUntil: Date }).validUntil.setTime(0);
      expect(await store.plans.get(p.id)).toEqual(p);
    });
  });
}
