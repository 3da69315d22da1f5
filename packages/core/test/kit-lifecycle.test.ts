import { createHotspotKit, createMemoryStore, type HotspotStore } from '@hotspot-kit/core';
import { describe, expect, it } from 'vitest';
import { TEST_SECRET } from './support/test-kit.js';

/** A memory store that remembers whether anyone closed it. */
function watchedStore(): HotspotStore & { closes: number } {
  const store = createMemoryStore();
  const watched = Object.assign(Object.create(null), store, { closes: 0 }) as HotspotStore & { closes: number };
  watched.close = async () => {
    watched.closes += 1;
  };
  return watched;
}

describe('kit ownership', () => {
  it('kit.close() never closes the store it was handed: a second kit on the same store keeps working', async () => {
    const store = watchedStore();
    const first = createHotspotKit({ store, secret: TEST_SECRET });
    const second = createHotspotKit({ store, secret: TEST_SECRET });
    const plan = await first.plans.create({
      name: 'Day',
      simultaneousDevices: 1,
      expiry: { kind: 'after-activation', seconds: 86_400 },
    });
    await first.close();
    expect(store.closes).toBe(0);
    expect((await second.plans.get(plan.id))?.name).toBe('Day');
    await second.close();
    expect(store.closes).toBe(0);
  });

  it('the kit secret is not part of the public kit.options', () => {
    const kit = createHotspotKit({ store: createMemoryStore(), secret: [TEST_SECRET, `${TEST_SECRET}-old`] });
    expect('secret' in kit.options).toBe(false);
    expect(JSON.stringify(kit.options)).not.toContain(TEST_SECRET);
  });
});
