import { describe, expect, it } from 'vitest';
import { createMemoryRateLimitsRepository } from '../store/memory/rate-limits.js';
import { readSlidingLimit, slidingRemaining, slidingRetryAfterSeconds, takeSlidingLimit } from './sliding-window.js';

const HOUR = Date.parse('2026-03-02T10:00:00.000Z');
const at = (seconds: number) => new Date(HOUR + seconds * 1000);
const spec = { key: 'k', limit: 4, windowSeconds: 3600 };

describe('sliding window over fixed store windows', () => {
  it('counts up to the limit within one window', async () => {
    const repo = createMemoryRateLimitsRepository();
    for (let i = 0; i < 4; i++) {
      expect((await takeSlidingLimit(repo, await readSlidingLimit(repo, spec, at(10)))).allowed).toBe(true);
    }
    const state = await readSlidingLimit(repo, spec, at(10));
    expect(slidingRemaining(state)).toBe(0);
    const refused = await takeSlidingLimit(repo, state);
    expect(refused).toEqual({ allowed: false, retryAfterSeconds: expect.any(Number) });
  });

  it('weighs the previous window by its overlap, so a boundary burst does not double the limit', async () => {
    const repo = createMemoryRateLimitsRepository();
    for (let i = 0; i < 4; i++) await takeSlidingLimit(repo, await readSlidingLimit(repo, spec, at(-1)));
    // 1 s into the next window the old 4 still weigh ceil(4 * 3599/3600) = 4.
    const next = await readSlidingLimit(repo, spec, at(1));
    expect(next.previous).toBe(4);
    expect(next.previousWeighted).toBe(4);
    expect((await takeSlidingLimit(repo, next)).allowed).toBe(false);
    // A quarter into the window, 3 still weigh: one fits.
    const quarter = await readSlidingLimit(repo, spec, at(900));
    expect(quarter.previousWeighted).toBe(3);
    expect((await takeSlidingLimit(repo, quarter)).allowed).toBe(true);
    expect((await takeSlidingLimit(repo, await readSlidingLimit(repo, spec, at(900)))).allowed).toBe(false);
  });

  it('retryAfterSeconds is exactly when the next one fits', async () => {
    const repo = createMemoryRateLimitsRepository();
    for (let i = 0; i < 4; i++) await takeSlidingLimit(repo, await readSlidingLimit(repo, spec, at(600)));
    const full = await readSlidingLimit(repo, spec, at(600));
    const wait = slidingRetryAfterSeconds(full);
    // The current window must end (3000 s) and a quarter of the next pass (900 s).
    expect(wait).toBe(3000 + 900);
    expect(slidingRemaining(await readSlidingLimit(repo, spec, at(600 + wait - 1)))).toBe(0);
    expect(slidingRemaining(await readSlidingLimit(repo, spec, at(600 + wait)))).toBe(1);
  });

  it('retryAfterSeconds when only the previous window is in the way', async () => {
    const repo = createMemoryRateLimitsRepository();
    for (let i = 0; i < 4; i++) await takeSlidingLimit(repo, await readSlidingLimit(repo, spec, at(-10)));
    await takeSlidingLimit(repo, await readSlidingLimit(repo, spec, at(1000)));
    const state = await readSlidingLimit(repo, spec, at(1000));
    expect(slidingRemaining(state)).toBe(0);
    const wait = slidingRetryAfterSeconds(state);
    expect(slidingRemaining(await readSlidingLimit(repo, spec, at(1000 + wait)))).toBeGreaterThanOrEqual(1);
    expect(slidingRemaining(await readSlidingLimit(repo, spec, at(1000 + wait - 2)))).toBe(0);
  });

  it('a cost above the limit never fits', async () => {
    const repo = createMemoryRateLimitsRepository();
    const state = await readSlidingLimit(repo, spec, at(0));
    expect(await takeSlidingLimit(repo, state, 5)).toEqual({ allowed: false, retryAfterSeconds: 7200 });
  });
});
