import {
  type AccountingEvent,
  createMemoryStore,
  type EventsBatch,
  type HotspotStore,
  isHotspotKitError,
} from '@hotspot-kit/core';
import { describe, expect, it } from 'vitest';
import { createTestKit, rejection, T0 } from './support/test-kit.js';

const MB = 1_000_000;

/** The memory store with its accounting batch observed (and, when asked, held or failed). */
function observedStore(options: { failWhen?: (batch: EventsBatch) => boolean } = {}) {
  const store = createMemoryStore();
  const batches: EventsBatch[] = [];
  let hold: Promise<void> | undefined;
  let release: () => void = () => {};
  const applyEvents = store.usage.applyEvents.bind(store.usage);
  const usage = Object.assign(Object.create(store.usage) as HotspotStore['usage'], {
    async applyEvents(batch: EventsBatch) {
      batches.push(batch);
      if (hold) await hold;
      if (options.failWhen?.(batch)) throw new Error('disk I/O error');
      return applyEvents(batch);
    },
  });
  return {
    store: { ...store, usage } as HotspotStore,
    batches,
    /** Until `release()`, batches wait before they write. */
    holdWrites() {
      hold = new Promise((resolve) => {
        release = () => {
          hold = undefined;
          resolve();
        };
      });
      return () => release();
    },
  };
}

async function setup(store?: HotspotStore) {
  const t = createTestKit(store ? { store } : {});
  const plan = await t.kit.plans.create({
    name: 'Week',
    simultaneousDevices: 2,
    trafficLimit: { totalBytes: 1000 * MB },
    expiry: { kind: 'after-activation', seconds: 7 * 86_400 },
  });
  const vouchers: string[] = [];
  for (let i = 0; i < 4; i++) {
    const v = await t.kit.vouchers.create({ planId: plan.id });
    await t.kit.vouchers.activate(v.id);
    vouchers.push(v.id);
  }
  const event = (voucher: number, session: string, seconds: number, download: number): AccountingEvent => ({
    type: 'interim',
    sessionId: session,
    voucherId: vouchers[voucher] as string,
    inputOctets: 0,
    outputOctets: download,
    sessionTime: seconds,
    eventTime: new Date(T0.getTime() + seconds * 1000),
  });
  return { ...t, vouchers, event };
}

describe('group commit', () => {
  it('concurrent records share one transaction, each with its own delta and voucher', async () => {
    const observed = observedStore();
    const { kit, vouchers, event, events } = await setup(observed.store);
    observed.batches.length = 0;
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => kit.usage.record(event(i % 4, `s-${i % 8}`, 60 + i, (i + 1) * MB))),
    );
    expect(observed.batches).toHaveLength(1);
    // One write per session (events of a session fold into one), the four vouchers read back.
    expect(observed.batches[0]?.writes).toHaveLength(8);
    expect(results.map((r) => r.voucher.id)).toEqual(Array.from({ length: 40 }, (_, i) => vouchers[i % 4]));
    // Each session's cumulative counters rise; each event adds the rise over the one before it.
    const perSession = new Map<string, number>();
    for (const [i, r] of results.entries()) {
      const session = `s-${i % 8}`;
      expect(r.delta.downloadBytes).toBe((i + 1) * MB - (perSession.get(session) ?? 0));
      perSession.set(session, (i + 1) * MB);
    }
    const total = [...perSession.values()].reduce((a, b) => a + b, 0);
    const usage = await Promise.all(vouchers.map(async (id) => (await kit.vouchers.get(id))?.usage.downloadBytes));
    expect(usage.reduce((a, b) => (a ?? 0) + (b ?? 0), 0)).toBe(total);
    expect(events['usage.updated']).toHaveLength(40);
    // Callers may change what they get: every result has a voucher of its own.
    const first = results[0]?.voucher;
    const sameVoucher = results[4]?.voucher;
    expect(first).not.toBe(sameVoucher);
    expect(first?.limits).not.toBe(sameVoucher?.limits);
  });

  it('events arriving while a transaction is in flight go into the next one together', async () => {
    const observed = observedStore();
    const { kit, event } = await setup(observed.store);
    observed.batches.length = 0;
    const release = observed.holdWrites();
    const first = kit.usage.record(event(0, 'a', 60, MB));
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(observed.batches).toHaveLength(1);
    const later = Array.from({ length: 10 }, (_, i) => kit.usage.record(event(1, `b-${i}`, 60, MB)));
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(observed.batches).toHaveLength(1);
    release();
    await Promise.all([first, ...later]);
    expect(observed.batches.map((b) => b.writes.length)).toEqual([1, 10]);
  });

  it('record resolves only once its transaction has committed', async () => {
    const observed = observedStore();
    const { kit, event } = await setup(observed.store);
    const release = observed.holdWrites();
    let resolved = false;
    const pending = kit.usage.record(event(0, 'a', 60, MB)).then((r) => {
      resolved = true;
      return r;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(resolved).toBe(false);
    release();
    expect((await pending).delta.downloadBytes).toBe(MB);
  });

  it('one failing event never fails the others of its batch', async () => {
    // The store refuses any batch that holds session 'poison'; the kit writes each session alone.
    const observed = observedStore({ failWhen: (b) => b.writes.some((w) => w.session.sessionId === 'poison') });
    const { kit, event } = await setup(observed.store);
    const outcomes = await Promise.allSettled([
      kit.usage.record(event(0, 'a', 60, MB)),
      kit.usage.record(event(1, 'poison', 60, MB)),
      kit.usage.record(event(2, 'c', 60, 3 * MB)),
      kit.usage.record({ ...event(3, 'd', 60, MB), voucherId: 'no-such-voucher' }),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toMatchObject({ message: 'disk I/O error' });
    expect((outcomes[3] as PromiseRejectedResult).reason).toMatchObject({ code: 'NOT_FOUND' });
    expect(
      (outcomes[2] as PromiseFulfilledResult<{ delta: { downloadBytes: number } }>).value.delta.downloadBytes,
    ).toBe(3 * MB);
  });

  it('kit.close waits for records in flight', async () => {
    const observed = observedStore();
    const { kit, event } = await setup(observed.store);
    const release = observed.holdWrites();
    const pending = kit.usage.record(event(0, 'a', 60, MB));
    const closed = kit.close();
    setTimeout(release, 10);
    await closed;
    expect((await pending).delta.downloadBytes).toBe(MB);
  });

  it('two kits (two app instances) on one store: cached sessions never count twice', async () => {
    const store = createMemoryStore();
    const a = await setup(store);
    const b = createTestKit({ store });
    // Both instances take turns and race on the same sessions; each one's cache goes stale.
    const at = (i: number) => a.event(i % 3 === 1 ? 1 : 0, `shared-${i % 3}`, (i + 1) * 60, (i + 1) * MB);
    const timeline = Array.from({ length: 30 }, (_, i) => at(i));
    for (let i = 0; i < timeline.length; i += 3) {
      await Promise.all(
        timeline.slice(i, i + 3).flatMap((e, k) => [a.kit.usage.record(e), b.kit.usage.record(k === 1 ? e : { ...e })]),
      );
    }
    // The other instance closes the silent sessions (new versions a's cache does not know) ...
    b.clock.advance(7200);
    expect(await b.kit.usage.closeStaleSessions()).toBe(3);
    // ... and a's next events still land once, on the sessions as they are now.
    const more = [at(30), at(31), at(32)];
    const results = await Promise.all(more.map((e) => a.kit.usage.record(e)));
    expect(results.map((r) => r.delta.downloadBytes)).toEqual([3 * MB, 3 * MB, 3 * MB]);
    const last = new Map<string, number>();
    for (const e of [...timeline, ...more]) last.set(e.sessionId, e.outputOctets);
    const expected = [...last.values()].reduce((x, y) => x + y, 0);
    const sum = (await store.usage.getTotalsMany(a.vouchers)).values();
    expect([...sum].reduce((x, t) => x + t.downloadBytes, 0)).toBe(expected);
    expect((await store.usage.getSession('shared-0'))?.closedAt).toBeUndefined();
  });
});

describe('recordMany', () => {
  it('answers every event in its position; bad ones fail alone with a typed error', async () => {
    const { kit, vouchers, event } = await setup();
    await kit.usage.record(event(0, 'owned', 10, 1));
    const results = await kit.usage.recordMany([
      event(0, 'r-1', 60, 5 * MB),
      { ...event(1, 'r-2', 60, MB), inputOctets: -1 },
      { ...event(1, 'r-3', 60, MB), voucherId: 'nope' },
      event(1, 'owned', 20, 2),
      event(0, 'r-1', 120, 7 * MB),
      event(0, 'r-1', 60, 5 * MB),
    ]);
    expect(results.map((r) => r.ok)).toEqual([true, false, false, false, true, true]);
    const errors = results.map((r) => (r.ok ? null : r.error));
    expect(errors[1]).toMatchObject({ code: 'INVALID_INPUT', issues: [{ path: 'inputOctets' }] });
    expect(errors[2]).toMatchObject({ code: 'NOT_FOUND' });
    expect(errors[3]).toMatchObject({ code: 'CONFLICT', issues: [{ path: 'sessionId' }] });
    expect(errors.every((e) => e === null || isHotspotKitError(e))).toBe(true);
    const deltas = results.map((r) => (r.ok ? r.delta.downloadBytes : null));
    expect(deltas).toEqual([5 * MB, null, null, null, 2 * MB, 0]);
    expect((await kit.vouchers.get(vouchers[0] as string))?.usage.downloadBytes).toBe(7 * MB + 1);
  });

  it('a store failure is a STORE_ERROR result with the cause, not a rejection', async () => {
    const observed = observedStore({ failWhen: () => true });
    const { kit, event } = await setup(observed.store);
    const [result] = await kit.usage.recordMany([event(0, 'x', 60, MB)]);
    expect(result).toMatchObject({ ok: false, error: { code: 'STORE_ERROR', cause: { message: 'disk I/O error' } } });
  });

  it('refuses what is not a list of events, or more than 10,000 at once, naming the field', async () => {
    const { kit, event } = await setup();
    expect(await rejection(kit.usage.recordMany('nope' as never))).toMatchObject({
      code: 'INVALID_INPUT',
      issues: [{ path: 'events' }],
    });
    const many = Array.from({ length: 10_001 }, () => event(0, 'a', 1, 1));
    expect(await rejection(kit.usage.recordMany(many))).toMatchObject({ issues: [{ path: 'events' }] });
    expect(await kit.usage.recordMany([])).toEqual([]);
  });
});
