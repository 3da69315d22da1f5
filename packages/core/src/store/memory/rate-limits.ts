import type { RateLimitRepository, RateLimitResult } from '../hotspot-store.js';

interface Window {
  count: number;
  /** Epoch ms when this window ends. */
  endsAt: number;
  sizeMs: number;
}

/** A sweep of every key runs after this many calls, so idle keys do not pile up. */
const SWEEP_EVERY_CALLS = 10_000;

function checkWindowSeconds(windowSeconds: number): void {
  if (!Number.isInteger(windowSeconds) || windowSeconds <= 0) {
    throw new RangeError(`windowSeconds must be a positive integer, got ${windowSeconds}`);
  }
}

/** Start of the fixed window holding `at` (epoch ms): windows start at multiples of `windowSeconds`. */
function windowStart(at: Date, windowSeconds: number): number {
  const size = windowSeconds * 1000;
  return Math.floor(at.getTime() / size) * size;
}

/**
 * In-memory {@link RateLimitRepository}: fixed windows keyed by `key`, window size and start.
 * A window is kept until one full window after it ended (callers read the previous window to
 * smooth the boundary), then dropped. Check and add happen without an `await` in between.
 */
export function createMemoryRateLimitsRepository(): RateLimitRepository {
  // key -> "windowSeconds:start" -> window
  const windowsByKey = new Map<string, Map<string, Window>>();
  let callsSinceSweep = 0;

  function sweep(nowMs: number): void {
    for (const [key, windows] of windowsByKey) {
      for (const [id, w] of windows) if (w.endsAt + w.sizeMs < nowMs) windows.delete(id);
      if (windows.size === 0) windowsByKey.delete(key);
    }
  }

  function maybeSweep(at: Date): void {
    callsSinceSweep += 1;
    if (callsSinceSweep >= SWEEP_EVERY_CALLS) {
      callsSinceSweep = 0;
      sweep(at.getTime());
    }
  }

  return {
    async consume(key, options): Promise<RateLimitResult> {
      const { limit, windowSeconds, at } = options;
      const cost = options.cost ?? 1;
      checkWindowSeconds(windowSeconds);
      if (!Number.isInteger(cost) || cost < 0) throw new RangeError(`cost must be a non-negative integer, got ${cost}`);
      maybeSweep(at);
      const start = windowStart(at, windowSeconds);
      const resetAt = new Date(start + windowSeconds * 1000);
      const id = `${windowSeconds}:${start}`;
      let windows = windowsByKey.get(key);
      const current = windows?.get(id)?.count ?? 0;
      if (current + cost > limit) return { allowed: false, count: current, resetAt };
      if (!windows) {
        windows = new Map();
        windowsByKey.set(key, windows);
      }
      windows.set(id, { count: current + cost, endsAt: resetAt.getTime(), sizeMs: windowSeconds * 1000 });
      return { allowed: true, count: current + cost, resetAt };
    },

    async peek(key, options) {
      checkWindowSeconds(options.windowSeconds);
      const start = windowStart(options.at, options.windowSeconds);
      const count = windowsByKey.get(key)?.get(`${options.windowSeconds}:${start}`)?.count ?? 0;
      return { count, resetAt: new Date(start + options.windowSeconds * 1000) };
    },

    async reset(key) {
      windowsByKey.delete(key);
    },
  };
}
