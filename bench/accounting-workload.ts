// The accounting workload shared by bench/accounting.bench.ts and its crash child
// (bench/accounting-burst.ts): open sessions, each on its own voucher, receiving interim
// updates with cumulative counters, as a NAS sends them.
import type { AccountingEvent, HotspotKit, HotspotStore } from '@hotspot-kit/core';
import { createHotspotKit } from '@hotspot-kit/core';
import { createPostgresStore, createSqliteStore } from '@hotspot-kit/store-sql';

export const SESSIONS = 400;
export const CALLERS = 64;
export const DOWN_PER_EVENT = 1_000_000;
export const UP_PER_EVENT = 100_000;
export const SECONDS_PER_EVENT = 60;
export const T0 = Date.parse('2026-03-01T08:00:00Z');
export const SECRET = 'bench-secret-bench-secret-bench-secret';

/** Where a store lives: a SQLite file, or a PostgreSQL schema. */
export type StoreTarget = { kind: 'sqlite'; filename: string } | { kind: 'postgres'; url: string; schema: string };

export function openStore(target: StoreTarget): Promise<HotspotStore> {
  return target.kind === 'sqlite'
    ? createSqliteStore({ filename: target.filename })
    : createPostgresStore({ connectionString: target.url, schema: target.schema, poolSize: 10 });
}

/** Counts the accounting transactions a store runs (`usage.applyEvents` calls) and the writes in them. */
export function countBatches(store: HotspotStore): { batches: number; writes: number } {
  const counts = { batches: 0, writes: 0 };
  const apply = store.usage.applyEvents.bind(store.usage);
  (store.usage as { applyEvents: typeof apply }).applyEvents = (batch) => {
    counts.batches += 1;
    counts.writes += batch.writes.length;
    return apply(batch);
  };
  return counts;
}

export function makeKit(store: HotspotStore): HotspotKit {
  // A fixed clock near the events keeps every voucher valid and every session online.
  return createHotspotKit({ store, secret: SECRET, clock: () => new Date(T0 + 3_600_000) });
}

/** Vouchers (one per session, with limits far out of reach) and a start for every session. */
export async function seedSessions(kit: HotspotKit, prefix: string): Promise<string[]> {
  const plan = await kit.plans.create({
    name: 'Bench month',
    simultaneousDevices: 3,
    trafficLimit: { totalBytes: 2 ** 52 },
    onlineTimeSeconds: 10 ** 9,
    expiry: { kind: 'after-activation', seconds: 400 * 86_400 },
  });
  const vouchers: string[] = [];
  for (let i = 0; i < SESSIONS; i++) {
    const v = await kit.vouchers.create({ planId: plan.id });
    await kit.vouchers.activate(v.id);
    vouchers.push(v.id);
    await kit.usage.record(interim(prefix, vouchers, i, 0));
  }
  return vouchers;
}

/** The `k`-th event of session `i` (k = 0 is its start). */
export function interim(prefix: string, vouchers: readonly string[], i: number, k: number): AccountingEvent {
  return {
    type: k === 0 ? 'start' : 'interim',
    sessionId: `${prefix}-${i}`,
    voucherId: vouchers[i] as string,
    nasId: 'nas-bench',
    inputOctets: k * UP_PER_EVENT,
    outputOctets: k * DOWN_PER_EVENT,
    sessionTime: k * SECONDS_PER_EVENT,
    eventTime: new Date(T0 + k * SECONDS_PER_EVENT * 1000),
  };
}

/**
 * `callers` workers (default `CALLERS`) taking events in turn: event n goes to session n mod SESSIONS, so one
 * session never has two events in flight (SESSIONS > CALLERS). `counters` carries each
 * session's last event number across rounds. Resolves with events per second.
 */
export async function drive(
  count: number,
  counters: number[],
  send: (i: number, k: number) => Promise<unknown>,
  callers = CALLERS,
): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: callers }, async () => {
      for (let n = next++; n < count; n = next++) {
        const i = n % counters.length;
        const k = (counters[i] as number) + 1;
        counters[i] = k;
        await send(i, k);
      }
    }),
  );
  return count / ((performance.now() - started) / 1000);
}
