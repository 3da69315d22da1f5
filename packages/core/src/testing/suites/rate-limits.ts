import { describe, expect, it } from 'vitest';
import { testId } from '../fixtures.js';
import type { MakeStore } from './types.js';
import { withStore } from './with-store.js';

// An hour boundary, so windows of 60 s and 3600 s both start here.
const T0 = new Date('2026-03-01T10:00:00.000Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

/**
 * Conformance cases of `store.rateLimits`: fixed windows aligned to the epoch, the atomic
 * "add only if it fits" under 50 parallel callers, peek and reset.
 */
export function rateLimitsSuite(makeStore: MakeStore): void {
  describe('rate-limits', () => {
    it('consume counts up to the limit, then refuses without adding', () =>
      withStore(makeStore, async (store) => {
        const key = testId('rl');
        const options = { limit: 3, windowSeconds: 60, at: at(5) };
        const results = [];
        for (let i = 0; i < 5; i++) results.push(await store.rateLimits.consume(key, options));
        expect(results.map((r) => r.allowed)).toEqual([true, true, true, false, false]);
        expect(results.map((r) => r.count)).toEqual([1, 2, 3, 3, 3]);
        expect((await store.rateLimits.peek(key, { windowSeconds: 60, at: at(5) })).count).toBe(3);
      }));

    it('windows start at multiples of windowSeconds since the epoch; resetAt is the window end', () =>
      withStore(makeStore, async (store) => {
        const key = testId('rl');
        const first = await store.rateLimits.consume(key, { limit: 1, windowSeconds: 60, at: at(59.999) });
        expect(first).toEqual({ allowed: true, count: 1, resetAt: at(60) });
        const refused = await store.rateLimits.consume(key, { limit: 1, windowSeconds: 60, at: at(0) });
        expect(refused).toEqual({ allowed: false, count: 1, resetAt: at(60) });
        const next = await store.rateLimits.consume(key, { limit: 1, windowSeconds: 60, at: at(60) });
        expect(next).toEqual({ allowed: true, count: 1, resetAt: at(120) });
        const odd = await store.rateLimits.consume(testId('rl'), { limit: 5, windowSeconds: 7, at: new Date(10_500) });
        expect(odd.resetAt).toEqual(new Date(14_000));
      }));

    it('cost adds more than one, and a cost that does not fit adds nothing', () =>
      withStore(makeStore, async (store) => {
        const key = testId('rl');
        const w = { windowSeconds: 3600, at: at(10) };
        expect(await store.rateLimits.consume(key, { ...w, limit: 10, cost: 4 })).toMatchObject({
          allowed: true,
          count: 4,
        });
        expect(await store.rateLimits.consume(key, { ...w, limit: 10, cost: 7 })).toMatchObject({
          allowed: false,
          count: 4,
        });
        expect(await store.rateLimits.consume(key, { ...w, limit: 10, cost: 6 })).toMatchObject({
          allowed: true,
          count: 10,
        });
        expect(await store.rateLimits.consume(testId('rl'), { ...w, limit: 2, cost: 3 })).toMatchObject({
          allowed: false,
          count: 0,
        });
      }));

    it('the limit is checked per call, so a caller may pass a smaller one (sliding-window callers do)', () =>
      withStore(makeStore, async (store) => {
        const key = testId('rl');
        const w = { windowSeconds: 60, at: at(1) };
        expect((await store.rateLimits.consume(key, { ...w, limit: 5 })).allowed).toBe(true);
        expect((await store.rateLimits.consume(key, { ...w, limit: 5 })).allowed).toBe(true);
        expect(await store.rateLimits.consume(key, { ...w, limit: 2 })).toMatchObject({ allowed: false, count: 2 });
        expect(await store.rateLimits.consume(key, { ...w, limit: 3 })).toMatchObject({ allowed: true, count: 3 });
      }));

    it('keys and window sizes are independent', () =>
      withStore(makeStore, async (store) => {
        const a = testId('rl');
        const b = testId('rl');
        expect((await store.rateLimits.consume(a, { limit: 1, windowSeconds: 60, at: at(1) })).allowed).toBe(true);
        expect((await store.rateLimits.consume(a, { limit: 1, windowSeconds: 60, at: at(2) })).allowed).toBe(false);
        expect((await store.rateLimits.consume(b, { limit: 1, windowSeconds: 60, at: at(2) })).allowed).toBe(true);
        expect((await store.rateLimits.peek(b, { windowSeconds: 60, at: at(2) })).count).toBe(1);
        expect((await store.rateLimits.peek(a, { windowSeconds: 60, at: at(2) })).count).toBe(1);
      }));

    it('peek reads without changing and answers 0 for an unknown key, with the window end', () =>
      withStore(makeStore, async (store) => {
        const key = testId('rl');
        expect(await store.rateLimits.peek(key, { windowSeconds: 60, at: at(30) })).toEqual({
          count: 0,
          resetAt: at(60),
        });
        await store.rateLimits.consume(key, { limit: 5, windowSeconds: 60, at: at(30) });
        await store.rateLimits.consume(key, { limit: 5, windowSeconds: 60, at: at(31) });
        for (let i = 0; i < 3; i++) {
          expect(await store.rateLimits.peek(key, { windowSeconds: 60, at: at(40) })).toEqual({
            count: 2,
            resetAt: at(60),
          });
        }
        // The previous window stays readable (sliding-window callers weigh it).
        expect((await store.rateLimits.peek(key, { windowSeconds: 60, at: at(70) })).count).toBe(0);
        expect((await store.rateLimits.peek(key, { windowSeconds: 60, at: at(10) })).count).toBe(2);
      }));

    it('reset drops every window of the key and nothing else', () =>
      withStore(makeStore, async (store) => {
        const key = testId('rl');
        const other = testId('rl');
        await store.rateLimits.consume(key, { limit: 5, windowSeconds: 60, at: at(1) });
        await store.rateLimits.consume(key, { limit: 5, windowSeconds: 60, at: at(61) });
        await store.rateLimits.consume(other, { limit: 5, windowSeconds: 60, at: at(61) });
        await store.rateLimits.reset(key);
        expect((await store.rateLimits.peek(key, { windowSeconds: 60, at: at(1) })).count).toBe(0);
        expect((await store.rateLimits.peek(key, { windowSeconds: 60, at: at(61) })).count).toBe(0);
        expect((await store.rateLimits.peek(other, { windowSeconds: 60, at: at(61) })).count).toBe(1);
        expect((await store.rateLimits.consume(key, { limit: 1, windowSeconds: 60, at: at(62) })).allowed).toBe(true);
        await store.rateLimits.reset('never-used');
      }));

    it('50 parallel consume calls on one key never pass the limit', () =>
      withStore(makeStore, async (store) => {
        const key = testId('rl');
        const results = await Promise.all(
          Array.from({ length: 50 }, () =>
            store.rateLimits.consume(key, { limit: 10, windowSeconds: 3600, at: at(5) }),
          ),
        );
        expect(results.filter((r) => r.allowed)).toHaveLength(10);
        expect(Math.max(...results.map((r) => r.count))).toBe(10);
        expect((await store.rateLimits.peek(key, { windowSeconds: 3600, at: at(5) })).count).toBe(10);
      }));

    it('50 parallel consume calls with costs never pass the limit', () =>
      withStore(makeStore, async (store) => {
        const key = testId('rl');
        const costs = Array.from({ length: 50 }, (_, i) => (i % 3) + 1);
        const results = await Promise.all(
          costs.map((cost) => store.rateLimits.consume(key, { limit: 20, windowSeconds: 3600, at: at(5), cost })),
        );
        const added = results.reduce((sum, r, i) => sum + (r.allowed ? (costs[i] as number) : 0), 0);
        const count = (await store.rateLimits.peek(key, { windowSeconds: 3600, at: at(5) })).count;
        expect(count).toBe(added);
        expect(count).toBeLessThanOrEqual(20);
        expect(count).toBeGreaterThanOrEqual(18);
      }));
  });
}
