import type { AccountingEvent, PlanInput } from '@hotspot-kit/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createTestKit, rejection, T0 } from './support/test-kit.js';

const GIGA = 2 ** 32;
const MB = 1_000_000;

async function setup(plan: Partial<PlanInput> = {}, options: Parameters<typeof createTestKit>[0] = {}) {
  const t = createTestKit(options);
  const created = await t.kit.plans.create({
    name: 'Week',
    simultaneousDevices: 2,
    expiry: { kind: 'after-activation', seconds: 7 * 86_400 },
    ...plan,
  });
  const voucher = await t.kit.vouchers.create({ planId: created.id });
  await t.kit.vouchers.activate(voucher.id, { mac: 'a4:83:e7:00:00:01' });
  const event = (
    type: AccountingEvent['type'],
    sessionTime: number,
    upload: number,
    download: number,
    extra: Partial<AccountingEvent> = {},
  ): AccountingEvent => ({
    type,
    sessionId: 'sess-1',
    voucherId: voucher.id,
    mac: 'A4-83-E7-00-00-01',
    nasId: 'nas-1',
    inputOctets: upload % GIGA,
    inputGigawords: Math.floor(upload / GIGA),
    outputOctets: download % GIGA,
    outputGigawords: Math.floor(download / GIGA),
    sessionTime,
    eventTime: new Date(T0.getTime() + sessionTime * 1000),
    ...extra,
  });
  return { ...t, plan: created, voucherId: voucher.id, event };
}

describe('usage ingestion', () => {
  it('start, interim, stop: input octets are upload, output octets download; totals and session kept', async () => {
    const { kit, voucherId, event, events } = await setup();
    expect((await kit.usage.record(event('start', 0, 0, 0))).voucher.status).toBe('online');
    const r = await kit.usage.record(event('interim', 300, 2 * MB, 30 * MB));
    expect(r.delta).toEqual({ uploadBytes: 2 * MB, downloadBytes: 30 * MB, onlineSeconds: 300 });
    expect(r.voucher.usage).toEqual({ uploadBytes: 2 * MB, downloadBytes: 30 * MB, onlineSeconds: 300 });
    const stop = await kit.usage.record(event('stop', 420, 3 * MB, 50 * MB));
    expect(stop.voucher).toMatchObject({
      status: 'active',
      onlineSessions: 0,
      usage: { uploadBytes: 3 * MB, downloadBytes: 50 * MB, onlineSeconds: 420 },
    });
    const session = await kit.store.usage.getSession('sess-1');
    expect(session).toMatchObject({ mac: 'a4:83:e7:00:00:01', nasId: 'nas-1', closedReason: 'stop', startedAt: T0 });
    expect(events['session.closed']).toMatchObject([{ reason: 'stop', session: { sessionId: 'sess-1' } }]);
    expect(events['usage.updated'].map((e) => e.delta.downloadBytes)).toEqual([30 * MB, 20 * MB]);
    expect(await kit.usage.summary(voucherId)).toMatchObject({
      used: { uploadBytes: 3 * MB, downloadBytes: 50 * MB, totalBytes: 53 * MB, onlineSeconds: 420 },
      trafficPercent: null,
      onlineTimePercent: null,
      status: 'active',
    });
  });

  it('a replayed event counts once and emits no second usage.updated', async () => {
    const { kit, event, events } = await setup();
    const e = event('interim', 60, 1000, 5000);
    await kit.usage.record(e);
    const again = await kit.usage.record(e);
    const third = await kit.usage.record({ ...e, eventTime: new Date(e.eventTime) });
    expect(again.delta).toEqual({ downloadBytes: 0, uploadBytes: 0, onlineSeconds: 0 });
    expect(third.voucher.usage).toEqual({ uploadBytes: 1000, downloadBytes: 5000, onlineSeconds: 60 });
    expect(events['usage.updated']).toHaveLength(1);
  });

  it('an interim delivered after a newer one adds nothing (out of order)', async () => {
    const { kit, event } = await setup();
    await kit.usage.record(event('interim', 600, 9000, 90_000));
    const late = await kit.usage.record(event('interim', 300, 4000, 40_000));
    expect(late.delta).toEqual({ downloadBytes: 0, uploadBytes: 0, onlineSeconds: 0 });
    const lateStart = await kit.usage.record(event('start', 0, 0, 0));
    expect(lateStart.voucher.usage).toEqual({ uploadBytes: 9000, downloadBytes: 90_000, onlineSeconds: 600 });
  });

  it('gigawords: 64-bit totals; without gigawords a 32-bit wrap is inferred', async () => {
    const { kit, voucherId, event } = await setup();
    await kit.usage.record(event('interim', 300, 1, 5 * GIGA + 123));
    expect((await kit.usage.summary(voucherId)).used.downloadBytes).toBe(5 * GIGA + 123);
    const raw = (sessionTime: number, download: number): AccountingEvent => {
      const {
        inputGigawords: _i,
        outputGigawords: _o,
        ...e
      } = event('interim', sessionTime, 0, download, { sessionId: 'sess-raw' });
      return e;
    };
    await kit.usage.record(raw(100, 4_200_000_000));
    await kit.usage.record(raw(200, 100_000_000)); // wrapped
    await kit.usage.record(raw(100, 4_200_000_000)); // late replay: no double wrap
    const stop = await kit.usage.record({ ...raw(300, 300_000_000), type: 'stop' });
    expect(stop.voucher.usage.downloadBytes).toBe(5 * GIGA + 123 + GIGA + 300_000_000);
    expect(await kit.store.usage.getSession('sess-raw')).toMatchObject({
      outputWraps: 1,
      rawOutputOctets: 300_000_000,
    });
  });

  it('a session unknown so far may begin with an interim or a stop', async () => {
    const { kit, event } = await setup();
    const r = await kit.usage.record(event('interim', 120, 10, 20, { sessionId: 'mid' }));
    expect(r.delta).toEqual({ uploadBytes: 10, downloadBytes: 20, onlineSeconds: 120 });
    const s = await kit.usage.record(event('stop', 60, 1, 2, { sessionId: 'only-stop' }));
    expect(s.delta).toEqual({ uploadBytes: 1, downloadBytes: 2, onlineSeconds: 60 });
    expect(await kit.store.usage.getSession('only-stop')).toMatchObject({ closedReason: 'stop' });
  });

  it('eventTime defaults to the kit clock', async () => {
    const { kit, event, clock } = await setup();
    clock.advance(90);
    const { eventTime: _omit, ...withoutTime } = event('interim', 30, 1, 1);
    await kit.usage.record(withoutTime as AccountingEvent);
    expect((await kit.store.usage.getSession('sess-1'))?.lastEventAt).toEqual(clock.now());
  });

  it('50 parallel deliveries of one session (duplicated, shuffled) count exactly once', async () => {
    const { kit, voucherId, event } = await setup();
    const timeline = Array.from({ length: 10 }, (_, i) =>
      event(i === 9 ? 'stop' : 'interim', (i + 1) * 60, (i + 1) * 1000, (i + 1) * GIGA),
    );
    const deliveries = Array.from({ length: 50 }, (_, i) => timeline[(i * 7) % 10] as AccountingEvent);
    await Promise.all(deliveries.map((e) => kit.usage.record(e)));
    expect((await kit.vouchers.get(voucherId))?.usage).toEqual({
      uploadBytes: 10_000,
      downloadBytes: 10 * GIGA,
      onlineSeconds: 600,
    });
  });

  it('refuses bad events naming the field, unknown vouchers, and a session of another voucher', async () => {
    const { kit, event, plan } = await setup();
    expect(await rejection(kit.usage.record({ ...event('interim', 1, 1, 1), inputOctets: -1 }))).toMatchObject({
      code: 'INVALID_INPUT',
      issues: [{ path: 'inputOctets' }],
    });
    expect(await rejection(kit.usage.record({ ...event('interim', 1, 1, 1), type: 'update' as never }))).toMatchObject({
      issues: [{ path: 'type' }],
    });
    expect(
      await rejection(kit.usage.record({ ...event('interim', 1, 1, 1), eventTime: 'yesterday' as never })),
    ).toMatchObject({
      issues: [{ path: 'eventTime' }],
    });
    expect(await rejection(kit.usage.record({ ...event('interim', 1, 1, 1), voucherId: 'nope' }))).toMatchObject({
      code: 'NOT_FOUND',
    });
    await kit.usage.record(event('interim', 1, 1, 1));
    const other = await kit.vouchers.create({ planId: plan.id });
    expect(await rejection(kit.usage.record({ ...event('interim', 2, 2, 2), voucherId: other.id }))).toMatchObject({
      code: 'CONFLICT',
      issues: [{ path: 'sessionId' }],
    });
  });
});

describe('stale sessions', () => {
  it('a session with no stop is closed after the configured silence', async () => {
    const { kit, voucherId, event, clock, events } = await setup({}, { usage: { staleSessionSeconds: 600 } });
    clock.set(T0);
    await kit.usage.record(event('start', 0, 0, 0));
    clock.advance(599);
    expect(await kit.usage.closeStaleSessions()).toBe(0);
    expect((await kit.vouchers.get(voucherId))?.status).toBe('online');
    clock.advance(2);
    // Silent past the limit: no longer online, even before anything closes it.
    expect((await kit.vouchers.get(voucherId))?.status).toBe('active');
    expect(await kit.usage.closeStaleSessions()).toBe(1);
    expect(await kit.usage.closeStaleSessions()).toBe(0);
    expect(await kit.store.usage.getSession('sess-1')).toMatchObject({ closedReason: 'stale', closedAt: clock.now() });
    expect(events['session.closed']).toMatchObject([{ reason: 'stale' }]);
    // The NAS speaks again: the bytes count and the session is open again.
    const late = await kit.usage.record(event('interim', 900, 10, 10));
    expect(late.voucher.usage.downloadBytes).toBe(10);
    expect((await kit.store.usage.getSession('sess-1'))?.closedAt).toBeUndefined();
  });
});

describe('limits reached mid-session', () => {
  it('total traffic: the voucher becomes used and voucher.exhausted goes out once, with the reason', async () => {
    const { kit, voucherId, event, events } = await setup({ trafficLimit: { totalBytes: 100 * MB } });
    await kit.usage.record(event('start', 0, 0, 0));
    const half = await kit.usage.record(event('interim', 60, 10 * MB, 40 * MB));
    expect(half.voucher).toMatchObject({ status: 'online', remaining: { totalBytes: 50 * MB } });
    expect((await kit.usage.summary(voucherId)).trafficPercent).toBe(50);
    const over = await Promise.all([
      kit.usage.record(event('interim', 120, 20 * MB, 85 * MB)),
      kit.usage.record(event('interim', 180, 25 * MB, 95 * MB)),
      kit.usage.record(event('interim', 180, 25 * MB, 95 * MB, { sessionId: 'sess-2' })),
    ]);
    await kit.settled();
    expect(over.every((r) => r.voucher.status === 'used')).toBe(true);
    expect(events['voucher.exhausted']).toHaveLength(1);
    expect(events['voucher.exhausted'][0]).toMatchObject({
      reason: 'traffic',
      voucher: { id: voucherId, state: 'used' },
    });
    const summary = await kit.usage.summary(voucherId);
    expect(summary).toMatchObject({ status: 'used', trafficPercent: 100, remaining: { totalBytes: 0 } });
    // Usage reported after the end still counts (the NAS is the truth) but emits nothing new.
    await kit.usage.record(event('stop', 240, 26 * MB, 96 * MB));
    expect(events['voucher.exhausted']).toHaveLength(1);
  });

  it('separate caps: reaching the upload cap ends the voucher', async () => {
    const { kit, event, events } = await setup({ trafficLimit: { downloadBytes: 1000 * MB, uploadBytes: 10 * MB } });
    const r = await kit.usage.record(event('interim', 60, 10 * MB, 1 * MB));
    expect(r.voucher).toMatchObject({
      status: 'used',
      endReason: 'traffic',
      remaining: { uploadBytes: 0, downloadBytes: 999 * MB },
    });
    expect(events['voucher.exhausted']).toHaveLength(1);
  });

  it('online time across sessions', async () => {
    const { kit, voucherId, event, events } = await setup({ onlineTimeSeconds: 3600 });
    await kit.usage.record(event('stop', 1800, 1, 1));
    expect((await kit.usage.summary(voucherId)).onlineTimePercent).toBe(50);
    const r = await kit.usage.record(event('interim', 1800, 1, 1, { sessionId: 'sess-2' }));
    expect(r.voucher).toMatchObject({ status: 'used', endReason: 'online-time', remaining: { onlineSeconds: 0 } });
    expect(events['voucher.exhausted']).toMatchObject([{ reason: 'online-time' }]);
  });

  it('validity passing during a session: voucher.expired once', async () => {
    const { kit, event, clock, events } = await setup({ expiry: { kind: 'after-activation', seconds: 3600 } });
    await kit.usage.record(event('start', 0, 0, 0));
    clock.advance(3600);
    const r = await kit.usage.record(event('interim', 3600, 5, 5));
    expect(r.voucher).toMatchObject({ status: 'expired', endReason: 'validity' });
    await kit.usage.record(event('stop', 3700, 6, 6));
    expect(events['voucher.expired']).toHaveLength(1);
    expect(events['voucher.exhausted']).toHaveLength(0);
  });
});

describe('per-day history', () => {
  it("buckets by the voucher location's time zone and sums a customer's vouchers over a range", async () => {
    const t = createTestKit();
    const { kit } = t;
    const riga = await kit.locations.save({ name: 'Riga cafe', timezone: 'Europe/Riga' });
    const customer = await kit.customers.create({ phone: '+37120000077', locationId: riga.id });
    const plan = await kit.plans.create({
      name: 'Month',
      simultaneousDevices: 1,
      expiry: { kind: 'after-creation', seconds: 30 * 86_400 },
    });
    const a = await kit.vouchers.create({ planId: plan.id, customerId: customer.id });
    const b = await kit.vouchers.create({ planId: plan.id, customerId: customer.id });
    expect(a.locationId).toBe(riga.id); // inherited from the customer
    const other = await kit.vouchers.create({ planId: plan.id });
    const rec = (voucherId: string, sessionId: string, at: string, download: number) =>
      kit.usage.record({
        type: 'interim',
        sessionId,
        voucherId,
        inputOctets: 0,
        outputOctets: download,
        sessionTime: download,
        eventTime: new Date(at),
      });
    await rec(a.id, 'a1', '2026-03-01T12:00:00Z', 100);
    await rec(a.id, 'a1', '2026-03-01T22:30:00Z', 150); // 00:30 on 2 March in Riga
    await rec(b.id, 'b1', '2026-03-02T08:00:00Z', 1000);
    await rec(b.id, 'b1', '2026-03-04T08:00:00Z', 1001);
    await rec(other.id, 'o1', '2026-03-02T08:00:00Z', 7777);
    expect(await kit.usage.history(customer.id, { from: '2026-03-01', to: '2026-03-03' })).toEqual([
      { day: '2026-03-01', downloadBytes: 100, uploadBytes: 0, onlineSeconds: 100 },
      { day: '2026-03-02', downloadBytes: 1050, uploadBytes: 0, onlineSeconds: 1050 },
    ]);
    // Dates are read as days in the customer's location time zone.
    const fromDates = await kit.usage.history(customer.id, {
      from: new Date('2026-03-01T22:30:00Z'),
      to: new Date('2026-03-04T12:00:00Z'),
    });
    expect(fromDates.map((d) => d.day)).toEqual(['2026-03-02', '2026-03-04']);
    // The voucher without a location buckets in UTC.
    expect(await kit.store.usage.dailyHistory([other.id], '2026-03-02', '2026-03-02')).toHaveLength(1);
  });

  it('refuses bad ranges naming the field and unknown customers', async () => {
    const { kit } = createTestKit();
    const c = await kit.customers.create({ phone: '+37120000078' });
    expect(await rejection(kit.usage.history(c.id, { from: '2026-03-05', to: '2026-03-01' }))).toMatchObject({
      code: 'INVALID_INPUT',
      issues: [{ path: 'from' }],
    });
    expect(await rejection(kit.usage.history(c.id, { from: '1 March', to: '2026-03-01' }))).toMatchObject({
      issues: [{ path: 'from' }],
    });
    expect(await rejection(kit.usage.history(c.id, { from: '2000-01-01', to: '2026-03-01' }))).toMatchObject({
      issues: [{ path: 'to' }],
    });
    expect(await rejection(kit.usage.history('nobody', { from: '2026-03-01', to: '2026-03-01' }))).toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await kit.usage.history(c.id, { from: '2026-03-01', to: '2026-03-31' })).toEqual([]);
  });
});

describe('property: delivery order and duplicates do not change totals (through the kit)', () => {
  it('any duplication and reordering of a session’s events, also delivered in parallel', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({ seconds: fc.integer({ min: 1, max: 900 }), up: fc.nat(2 * GIGA), down: fc.nat(5 * GIGA) }),
          { minLength: 1, maxLength: 8 },
        ),
        fc.array(fc.nat(), { maxLength: 12 }),
        fc.boolean(),
        fc.integer(),
        async (steps, duplicates, parallel, seed) => {
          const { kit, voucherId, event } = await setup();
          let t = 0;
          let up = 0;
          let down = 0;
          const timeline = [event('start', 0, 0, 0)];
          steps.forEach((s, i) => {
            t += s.seconds;
            up += s.up;
            down += s.down;
            timeline.push(event(i === steps.length - 1 ? 'stop' : 'interim', t, up, down));
          });
          const delivered = [...timeline, ...duplicates.map((d) => timeline[d % timeline.length] as AccountingEvent)];
          // Deterministic shuffle from the seed (fast-check shrinks it).
          let x = seed >>> 0 || 1;
          for (let i = delivered.length - 1; i > 0; i--) {
            x = (x * 1_103_515_245 + 12_345) >>> 0;
            const j = x % (i + 1);
            [delivered[i], delivered[j]] = [delivered[j] as AccountingEvent, delivered[i] as AccountingEvent];
          }
          if (parallel) await Promise.all(delivered.map((e) => kit.usage.record(e)));
          else for (const e of delivered) await kit.usage.record(e);
          const voucher = await kit.vouchers.get(voucherId);
          expect(voucher?.usage).toEqual({ uploadBytes: up, downloadBytes: down, onlineSeconds: t });
          const history = await kit.store.usage.dailyHistory([voucherId], '2026-01-01', '2026-12-31');
          const summed = history.reduce((acc, d) => acc + d.downloadBytes, 0);
          expect(summed).toBe(down);
        },
      ),
      { numRuns: 60 },
    );
  });
});
