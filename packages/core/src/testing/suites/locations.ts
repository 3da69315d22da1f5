import { describe, expect, it } from 'vitest';
import type { Location } from '../../domain/location.js';
import type { HotspotStore } from '../../store/hotspot-store.js';
import { testId } from '../fixtures.js';
import type { MakeStore } from './types.js';
import { withStore } from './with-store.js';

function location(overrides: Partial<Location> = {}): Location {
  return {
    id: testId('loc'),
    name: 'Cafe',
    timezone: 'Europe/Riga',
    createdAt: new Date('2026-01-01T00:00:00Z'),
    ...overrides,
  };
}

/** Locations: upsert, get, list by name; records are copies. */
export function locationsSuite(makeStore: MakeStore): void {
  const test = (name: string, fn: (store: HotspotStore) => Promise<void>) => it(name, () => withStore(makeStore, fn));

  describe('locations', () => {
    test('keeps every field, branding included', async (store) => {
      const full = location({
        senderId: 'CafeWiFi',
        locale: 'lv',
        branding: {
          operatorName: 'Cafe & Co',
          logoUrl: 'https://example.com/logo.png',
          primaryColor: '#0a7d5a',
          accentColor: 'navy',
        },
      });
      await store.locations.upsert(full);
      expect(await store.locations.get(full.id)).toEqual(full);
      expect(await store.locations.get('no-such-location')).toBeNull();
    });

    test('upsert replaces the location with the same id', async (store) => {
      const first = location({ name: 'Old name', senderId: 'OLD' });
      await store.locations.upsert(first);
      const second: Location = { id: first.id, name: 'New name', timezone: 'UTC', createdAt: first.createdAt };
      await store.locations.upsert(second);
      const got = await store.locations.get(first.id);
      expect(got).toEqual(second);
      expect(got?.senderId).toBeUndefined();
      expect(await store.locations.list()).toHaveLength(1);
    });

    test('lists every location by name', async (store) => {
      for (const name of ['Harbour', 'Airport', 'Museum']) await store.locations.upsert(location({ name }));
      expect((await store.locations.list()).map((l) => l.name)).toEqual(['Airport', 'Harbour', 'Museum']);
    });

    test('returns copies: changing a result does not change the store', async (store) => {
      const loc = location({ branding: { operatorName: 'Op' } });
      await store.locations.upsert(loc);
      const got = (await store.locations.get(loc.id)) as Location;
      got.name = 'mutated';
      got.branding!.operatorName = 'mutated';
      loc.name = 'mutated input';
      expect(await store.locations.get(loc.id)).toMatchObject({ name: 'Cafe', branding: { operatorName: 'Op' } });
    });
  });
}
