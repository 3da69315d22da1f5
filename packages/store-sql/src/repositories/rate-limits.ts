import type { RateLimitRepository } from '@hotspot-kit/core';
import { sql } from 'kysely';
import { readInt } from '../sql/codec.js';
import type { SqlContext } from '../sql/sql-context.js';

/** A sweep of finished windows runs after this many calls of one process. */
const SWEEP_EVERY_CALLS = 1000;

function checkWindowSeconds(windowSeconds: number): void {
  if (!Number.isInteger(windowSeconds) || windowSeconds <= 0) {
    throw new RangeError(`windowSeconds must be a positive integer, got ${windowSeconds}`);
  }
}

/** The window holding `at`: `start` in epoch seconds (a multiple of `windowSeconds`). */
function windowOf(at: Date, windowSeconds: number): { start: number; resetAt: Date } {
  checkWindowSeconds(windowSeconds);
  const sizeMs = windowSeconds * 1000;
  const startMs = Math.floor(at.getTime() / sizeMs) * sizeMs;
  return { start: startMs / 1000, resetAt: new Date(startMs + sizeMs) };
}

/**
 * Fixed-window counters in `hotspot_rate_limits`, one row per key and window. A consume is
 * one upsert whose conflict branch only adds while the sum stays within the limit, so
 * parallel calls from any number of processes never let a count pass it.
 */
export function createSqlRateLimitsRepository({ db, codec }: SqlContext): RateLimitRepository {
  let callsSinceSweep = 0;

  /**
   * Drops windows that ended more than one window ago (callers read the previous window to
   * smooth the boundary), as the memory store does, so one-off keys (a phone, an IP) do not
   * pile up. The store has no clock: `at` of the call stands for "now".
   */
  async function sweep(at: Date): Promise<void> {
    const ended =
      codec.dialect === 'sqlite'
        ? sql<boolean>`reset_at + window_seconds * 1000 < ${codec.time(at)}`
        : sql<boolean>`reset_at + window_seconds * interval '1 second' < ${codec.time(at)}`;
    await db.deleteFrom('hotspot_rate_limits').where(ended).execute();
  }

  async function peek(key: string, windowSeconds: number, at: Date) {
    const { start, resetAt } = windowOf(at, windowSeconds);
    const row = await db
      .selectFrom('hotspot_rate_limits')
      .select('count')
      .where('key', '=', key)
      .where('window_seconds', '=', windowSeconds)
      .where('window_start', '=', start)
      .executeTakeFirst();
    return { count: row ? readInt(row.count) : 0, resetAt };
  }

  return {
    async consume(key, { limit, windowSeconds, at, cost = 1 }) {
      if (!Number.isInteger(cost) || cost < 0) throw new RangeError(`cost must be a non-negative integer, got ${cost}`);
      const { start, resetAt } = windowOf(at, windowSeconds);
      callsSinceSweep += 1;
      if (callsSinceSweep >= SWEEP_EVERY_CALLS) {
        callsSinceSweep = 0;
        await sweep(at);
      }
      if (cost > limit) {
        const { count } = await peek(key, windowSeconds, at);
        return { allowed: false, count, resetAt };
      }
      const row = await db
        .insertInto('hotspot_rate_limits')
        .values({ key, window_seconds: windowSeconds, window_start: start, count: cost, reset_at: codec.time(resetAt) })
        .onConflict((oc) =>
          oc
            .columns(['key', 'window_seconds', 'window_start'])
            .doUpdateSet((eb) => ({ count: eb('hotspot_rate_limits.count', '+', eb.ref('excluded.count')) }))
            .where((eb) => eb(eb('hotspot_rate_limits.count', '+', eb.ref('excluded.count')), '<=', limit)),
        )
        .returning('count')
        .executeTakeFirst();
      if (row === undefined) {
        const { count } = await peek(key, windowSeconds, at);
        return { allowed: false, count, resetAt };
      }
      const count = readInt(row.count);
      return { allowed: true, count, resetAt };
    },

    async peek(key, { windowSeconds, at }) {
      return peek(key, windowSeconds, at);
    },

    async reset(key) {
      await db.deleteFrom('hotspot_rate_limits').where('key', '=', key).execute();
    },
  };
}
