import type { RateLimitRepository } from '../store/hotspot-store.js';

/** At most `limit` in any `windowSeconds` under `key`. */
export interface SlidingLimit {
  key: string;
  limit: number;
  windowSeconds: number;
}

/** A limit as read at one moment. */
export interface SlidingState {
  spec: SlidingLimit;
  at: Date;
  /** Count in the store's current fixed window. */
  current: number;
  /** Count in the previous fixed window (frozen: nothing adds to it any more). */
  previous: number;
  /** The previous window's count weighted by how much of it still overlaps the sliding window. */
  previousWeighted: number;
  /** Epoch ms of the current fixed window's start. */
  windowStartMs: number;
}

// The store counts fixed windows (one atomic primitive every store can do). A fixed window
// lets a burst of 2 x limit through around a boundary; weighting the previous window by its
// overlap with the sliding window (Cloudflare's sliding-window counter) closes that gap.
// Rounding the weight up keeps the approximation on the strict side.
function weigh(previous: number, fraction: number): number {
  return Math.max(0, Math.ceil(previous * (1 - fraction) - 1e-9));
}

/** Reads a limit without changing it. */
export async function readSlidingLimit(repo: RateLimitRepository, spec: SlidingLimit, at: Date): Promise<SlidingState> {
  const windowMs = spec.windowSeconds * 1000;
  const [current, previous] = await Promise.all([
    repo.peek(spec.key, { windowSeconds: spec.windowSeconds, at }),
    repo.peek(spec.key, { windowSeconds: spec.windowSeconds, at: new Date(at.getTime() - windowMs) }),
  ]);
  const windowStartMs = current.resetAt.getTime() - windowMs;
  const fraction = (at.getTime() - windowStartMs) / windowMs;
  return {
    spec,
    at,
    current: current.count,
    previous: previous.count,
    previousWeighted: weigh(previous.count, fraction),
    windowStartMs,
  };
}

/** How many more fit now. */
export function slidingRemaining(state: SlidingState): number {
  return Math.max(0, state.spec.limit - state.previousWeighted - state.current);
}

/**
 * Seconds until `cost` more fit, assuming nothing else is added meanwhile (whole seconds,
 * at least 1). `windowSeconds * 2` when `cost` can never fit.
 */
export function slidingRetryAfterSeconds(state: SlidingState, cost = 1): number {
  const { limit, windowSeconds } = state.spec;
  const windowMs = windowSeconds * 1000;
  const now = state.at.getTime();
  let waitMs: number;
  if (cost > limit) {
    waitMs = 2 * windowMs;
  } else if (state.current + cost > limit) {
    // The current window itself is full: it has to become the previous one and fade enough.
    const fadeTo = 1 - (limit - cost) / state.current;
    waitMs = state.windowStartMs + windowMs + Math.max(0, fadeTo) * windowMs - now;
  } else {
    const room = limit - cost - state.current;
    const fadeTo = state.previous === 0 ? 0 : 1 - room / state.previous;
    waitMs = state.windowStartMs + Math.max(0, fadeTo) * windowMs - now;
  }
  return Math.max(1, Math.ceil(waitMs / 1000));
}

/**
 * Atomically adds `cost` if it fits in the sliding window, using the state read before (the
 * previous window no longer changes, so only the current window's count needs the store's
 * guard). `retryAfterSeconds` is set when refused.
 */
export async function takeSlidingLimit(
  repo: RateLimitRepository,
  state: SlidingState,
  cost = 1,
): Promise<{ allowed: true; remaining: number; state: SlidingState } | { allowed: false; retryAfterSeconds: number }> {
  const { spec, at } = state;
  const room = spec.limit - state.previousWeighted;
  if (room >= cost) {
    const result = await repo.consume(spec.key, { limit: room, windowSeconds: spec.windowSeconds, at, cost });
    if (result.allowed) {
      return { allowed: true, remaining: Math.max(0, room - result.count), state: { ...state, current: result.count } };
    }
    return { allowed: false, retryAfterSeconds: slidingRetryAfterSeconds({ ...state, current: result.count }, cost) };
  }
  return { allowed: false, retryAfterSeconds: slidingRetryAfterSeconds(state, cost) };
}
