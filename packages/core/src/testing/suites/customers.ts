import { describe, expect, it } from 'vitest';
import type { Customer } from '../../domain/customer.js';
import type { HotspotStore } from '../../store/hotspot-store.js';
import { makeCustomer, testId } from '../fixtures.js';
import type { MakeStore } from './types.js';
import { withStore } from './with-store.js';

/** Customers: unique by id and phone; racing inserts of one phone have exactly one winner. */
export function customersSuite(makeStore: MakeStore): void {
  const test = (name: string, fn: (store: HotspotStore) => Promise<void>) => it(name, () => withStore(makeStore, fn));

  describe('customers', () => {
    test('keeps every field and finds by id and by phone', async (store) => {
      const c = makeCustomer({ name: 'Ann O’Neil', email: 'ann@example.com', locationId: 'loc-1' });
      expect(await store.customers.insert(c)).toBe(true);
      expect(await store.customers.get(c.id)).toEqual(c);
      expect(await store.customers.findByPhone(c.phone)).toEqual(c);
      expect(await store.customers.get('nobody')).toBeNull();
      expect(await store.customers.findByPhone('+37120000000')).toBeNull();
    });

    test('insert refuses a taken phone or id and changes nothing', async (store) => {
      const c = makeCustomer({ name: 'First' });
      expect(await store.customers.insert(c)).toBe(true);
      expect(await store.customers.insert(makeCustomer({ phone: c.phone, name: 'Second' }))).toBe(false);
      expect(await store.customers.insert(makeCustomer({ id: c.id, name: 'Third' }))).toBe(false);
      expect(await store.customers.findByPhone(c.phone)).toMatchObject({ id: c.id, name: 'First' });
    });

    test('update replaces a customer, moves the phone, refuses a taken phone or unknown id', async (store) => {
      const a = makeCustomer();
      const b = makeCustomer();
      await store.customers.insert(a);
      await store.customers.insert(b);
      expect(await store.customers.update({ ...a, name: 'Renamed', email: 'a@example.com' })).toBe(true);
      expect(await store.customers.get(a.id)).toMatchObject({ name: 'Renamed', email: 'a@example.com' });
      expect(await store.customers.update({ ...a, phone: b.phone })).toBe(false);
      expect(await store.customers.findByPhone(b.phone)).toMatchObject({ id: b.id });
      expect(await store.customers.update(makeCustomer())).toBe(false);
      const newPhone = '+37129999999';
      expect(await store.customers.update({ ...a, phone: newPhone })).toBe(true);
      expect(await store.customers.findByPhone(newPhone)).toMatchObject({ id: a.id });
      expect(await store.customers.findByPhone(a.phone)).toBeNull();
      // The old phone is free again.
      expect(await store.customers.insert(makeCustomer({ phone: a.phone }))).toBe(true);
    });

    test('of 50 racing inserts of one phone exactly one wins', async (store) => {
      const phone = '+447700900123';
      const racers = Array.from({ length: 50 }, (_, i) => makeCustomer({ id: testId(`race${i}`), phone }));
      const results = await Promise.all(racers.map((c) => store.customers.insert(c)));
      expect(results.filter(Boolean)).toHaveLength(1);
      const winner = racers[results.indexOf(true)] as Customer;
      expect(await store.customers.findByPhone(phone)).toMatchObject({ id: winner.id });
    });

    test('returns copies: changing a result does not change the store', async (store) => {
      const c = makeCustomer({ name: 'Kept' });
      await store.customers.insert(c);
      c.name = 'changed input';
      const got = (await store.customers.get(c.id)) as Customer;
      got.name = 'changed output';
      got.createdAt.setTime(0);
      expect(await store.customers.get(c.id)).toMatchObject({
        name: 'Kept',
        createdAt: new Date('2026-01-01T00:00:00Z'),
      });
    });
  });
}
