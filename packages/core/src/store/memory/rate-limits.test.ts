import { describe, expect, it } from 'vitest';
import { rateLimitsSuite } from '../../testing/suites/rate-limits.js';
import type { HotspotStore } from '../hotspot-store.js';
import { createMemoryRateLimitsRepository } from './rate-limits.js';

// The rate-limit cases on their own (the full `runStoreConformance` over `createMemoryStore()`
// runs them too, with every other repository).
rateLimitsSuite(
  async () => ({ rateLimits: createMemoryRateLimitsRepository(), close: async () => {} }) as unknown as HotspotStore,
);

describe('memory rate limits', () => {
  it('refuses a bad window size or cost instead of counting nonsense', async () => {
    const repo = createMemoryRateLimitsRepository();
    const at = new Date('2026-03-01T10:00:00Z');
    await expect(repo.consume('k', { limit: 1, windowSeconds: 0, at })).rejects.toThrow(/windowSeconds/);
    await expect(repo.consume('k', { limit: 1, windowSeconds: 60, at, cost: -1 })).rejects.toThrow(/cost/);
    await expect(repo.peek('k', { windowSeconds: 1.5, at })).rejects.toThrow(/windowSeconds/);
  });

  it('drops windows long past, so idle keys do not accumulate', async () => {
    const repo = createMemoryRateLimitsRepository();
    const t0 = Date.parse('2026-03-01T10:00:00Z');
    for (let i = 0; i < 9_999; i++) {
      await repo.consume(`old-${i}`, { limit: 5, windowSeconds: 60, at: new Date(t0) });
    }
    // The sweep runs every 10 000th call; this one (the 10 000th) comes a day later.
    await repo.consume('new', { limit: 5, windowSeconds: 60, at: new Date(t0 + 86_400_000) });
    expect((await repo.peek('old-1', { windowSeconds: 60, at: new Date(t0) })).count).toBe(0);
    expect((await repo.peek('new', { windowSeconds: 60, at: new Date(t0 + 86_400_000) })).count).toBe(1);
  });
});
