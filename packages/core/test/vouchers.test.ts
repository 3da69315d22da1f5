import {
  createHotspotKit,
  createMemoryStore,
  DEFAULT_VOUCHER_ALPHABET,
  type HotspotStore,
  type PlanInput,
} from '@hotspot-kit/core';
import { describe, expect, it } from 'vitest';
import { createTestKit, rejection, T0, TEST_SECRET, type TestKit } from './support/test-kit.js';

const DAY = 86_400;
const MAC_A = 'a4:83:e7:00:00:0a';
const MAC_B = 'a4:83:e7:00:00:0b';
const MAC_C = 'a4:83:e7:00:00:0c';

async function setup(plan: Partial<PlanInput> = {}, options: Parameters<typeof createTestKit>[0] = {}) {
  const t = createTestKit(options);
  const created = await t.kit.plans.create({
    name: 'Day pass',
    simultaneousDevices: 2,
    expiry: { kind: 'after-activation', seconds: DAY },
    ...plan,
  });
  return { ...t, plan: created };
}

describe('vouchers: codes', () => {
  it('creates a new voucher with a 10-character code from the look-alike-free alphabet', async () => {
    const { kit, plan, events } = await setup();
    const v = await kit.vouchers.create({ planId: plan.id });
    expect(v.code).toMatch(new RegExp(`^[${DEFAULT_VOUCHER_ALPHABET}]{10}$`));
    expect(v).toMatchObject({
      state: 'new',
      status: 'new',
      planId: plan.id,
      planName: 'Day pass',
      devices: [],
      onlineSessions: 0,
    });
    expect(v.limits).toEqual({ simultaneousDevices: 2, expiry: { kind: 'after-activation', seconds: DAY } });
    expect(v.usage).toEqual({ downloadBytes: 0, uploadBytes: 0, onlineSeconds: 0 });
    expect(v.remaining.validitySeconds).toBe(DAY);
    expect(v.expiresAt).toBeUndefined();
    expect(events['voucher.created'].map((e) => e.voucher.id)).toEqual([v.id]);
    expect(await kit.vouchers.get(v.id)).toEqual(v);
  });

  it('uses the kit code options, overridden per call; finds by code case-insensitively and by short code', async () => {
    const { kit, plan } = await setup({}, { vouchers: { code: { prefix: 'cafe-', length: 6 } } });
    const v = await kit.vouchers.create({ planId: plan.id });
    expect(v.code).toMatch(/^CAFE-[0-9A-Z]{6}$/);
    const w = await kit.vouchers.create({ planId: plan.id, code: { prefix: 'VIP', length: 8, shortCodeLength: 6 } });
    expect(w.code).toMatch(/^VIP[0-9A-Z]{8}$/);
    expect(w.shortCode).toMatch(/^\d{6}$/);
    expect((await kit.vouchers.getByCode(` ${v.code.toLowerCase()} `))?.id).toBe(v.id);
    expect((await kit.vouchers.getByCode(w.shortCode as string))?.id).toBe(w.id);
    expect(await kit.vouchers.getByCode('NOSUCHCODE')).toBeNull();
  });

  it('a series of 100,000 has no duplicate codes', async () => {
    // A kit without event capture: 100,000 'voucher.created' handlers would time the harness.
    const kit = createHotspotKit({ store: createMemoryStore(), secret: TEST_SECRET });
    const plan = await kit.plans.create({
      name: 'Series',
      simultaneousDevices: 1,
      expiry: { kind: 'after-activation', seconds: DAY },
    });
    const series = await kit.vouchers.generateSeries({ planId: plan.id, count: 100_000, code: { prefix: 'S1-' } });
    expect(series).toHaveLength(100_000);
    expect(new Set(series.map((v) => v.code)).size).toBe(100_000);
    expect(series.every((v) => v.code.startsWith('S1-') && v.status === 'new')).toBe(true);
    expect((await kit.vouchers.getByCode(series[54_321]?.code as string))?.id).toBe(series[54_321]?.id);
  });

  it('replaces codes the store already holds (insertMany skipped ids) and short codes too', async () => {
    const inner = createMemoryStore();
    const skippedPerCall: number[] = [];
    const store: HotspotStore = {
      ...inner,
      vouchers: {
        ...inner.vouchers,
        async insertMany(vouchers) {
          const skipped = await inner.vouchers.insertMany(vouchers);
          skippedPerCall.push(skipped.length);
          return skipped;
        },
      },
    };
    const { kit, plan } = await setup({}, { store });
    // 8^4 = 4096 possible codes: two series of 400 collide with each other's codes.
    const code = { alphabet: 'ACDEFGHJ', length: 4, shortCodeLength: 4 };
    const first = await kit.vouchers.generateSeries({ planId: plan.id, count: 400, code });
    const second = await kit.vouchers.generateSeries({ planId: plan.id, count: 400, code });
    const all = [...first, ...second];
    expect(new Set(all.map((v) => v.code)).size).toBe(800);
    expect(new Set(all.map((v) => v.shortCode)).size).toBe(800);
    // Some codes of the second series were taken by the first and had to be replaced.
    expect(skippedPerCall[0]).toBe(0);
    expect(skippedPerCall.slice(1).some((n) => n > 0)).toBe(true);
    for (const v of second) expect((await kit.vouchers.getByCode(v.code))?.id).toBe(v.id);
  });

  it('refuses a series the code space cannot hold, naming the field', async () => {
    const { kit, plan } = await setup();
    expect(
      await rejection(
        kit.vouchers.generateSeries({ planId: plan.id, count: 5_000, code: { length: 4, alphabet: 'ACDEFGHJ' } }),
      ),
    ).toMatchObject({
      code: 'INVALID_INPUT',
      issues: [{ path: 'code.length' }],
    });
    expect(
      await rejection(kit.vouchers.generateSeries({ planId: plan.id, count: 2_000, code: { shortCodeLength: 4 } })),
    ).toMatchObject({
      issues: [{ path: 'code.shortCodeLength' }],
    });
    for (const count of [0, 1.5, 2_000_000]) {
      expect(await rejection(kit.vouchers.generateSeries({ planId: plan.id, count }))).toMatchObject({
        code: 'INVALID_INPUT',
        issues: [{ path: 'count' }],
      });
    }
  });

  it('refuses unknown plans, customers and locations, naming the field', async () => {
    const { kit, plan } = await setup();
    expect(await rejection(kit.vouchers.create({ planId: 'nope' }))).toMatchObject({
      code: 'NOT_FOUND',
      issues: [{ path: 'planId' }],
    });
    expect(await rejection(kit.vouchers.create({ planId: plan.id, customerId: 'nope' }))).toMatchObject({
      code: 'NOT_FOUND',
      issues: [{ path: 'customerId' }],
    });
    expect(await rejection(kit.vouchers.create({ planId: plan.id, locationId: 'nope' }))).toMatchObject({
      code: 'NOT_FOUND',
      issues: [{ path: 'locationId' }],
    });
    expect(await rejection(kit.vouchers.create({ planId: '' }))).toMatchObject({
      code: 'INVALID_INPUT',
      issues: [{ path: 'planId' }],
    });
    expect(await rejection(kit.vouchers.create({ planId: plan.id, code: { alphabet: 'AAAAAAAAB' } }))).toMatchObject({
      issues: [{ path: 'code.alphabet' }],
    });
  });

  it('refuses a plan whose fixed validity is over', async () => {
    const { kit } = await setup();
    const old = await kit.plans.create({
      name: 'Festival',
      simultaneousDevices: 1,
      expiry: { kind: 'fixed', validUntil: new Date(T0.getTime() - 1) },
    });
    expect(await rejection(kit.vouchers.create({ planId: old.id }))).toMatchObject({
      code: 'INVALID_INPUT',
      issues: [{ path: 'planId' }],
    });
  });
});

describe('vouchers: activation', () => {
  it('new -> active: activatedAt, expiry from activation, first device bound, customer assigned, one event', async () => {
    const { kit, plan, events, clock } = await setup();
    const customer = await kit.customers.create({ phone: '+37120000001', name: 'Ann' });
    const v = await kit.vouchers.create({ planId: plan.id });
    clock.advance(3600);
    const active = await kit.vouchers.activate(v.id, { mac: 'A4-83-E7-00-00-0A', customerId: customer.id });
    expect(active).toMatchObject({ state: 'active', status: 'active', customerId: customer.id, version: 1 });
    expect(active.activatedAt).toEqual(clock.now());
    expect(active.expiresAt).toEqual(new Date(clock.now().getTime() + DAY * 1000));
    expect(active.devices).toEqual([{ mac: MAC_A, addedAt: clock.now(), addedBy: 'login' }]);
    expect(active.remaining.validitySeconds).toBe(DAY);
    expect(events['voucher.activated']).toHaveLength(1);
    expect(events['voucher.activated'][0]).toMatchObject({
      voucher: { id: v.id, status: 'active' },
      customer: { id: customer.id },
      mac: MAC_A,
    });
    expect(events['device.added'].map((e) => e.device.mac)).toEqual([MAC_A]);
    expect((await kit.vouchers.listForCustomer(customer.id)).map((x) => x.id)).toEqual([v.id]);
  });

  it('activating again binds another device while there is room, without a second event', async () => {
    const { kit, plan, events } = await setup();
    const v = await kit.vouchers.create({ planId: plan.id });
    await kit.vouchers.activate(v.id, { mac: MAC_A });
    const again = await kit.vouchers.activate(v.id, { mac: MAC_B });
    expect(again.devices.map((d) => d.mac)).toEqual([MAC_A, MAC_B]);
    const full = await kit.vouchers.activate(v.id, { mac: MAC_C });
    expect(full.devices.map((d) => d.mac)).toEqual([MAC_A, MAC_B]);
    const same = await kit.vouchers.activate(v.id, { mac: MAC_A });
    expect(same.version).toBe(full.version);
    expect(events['voucher.activated']).toHaveLength(1);
  });

  it('20 parallel activations: one activation event, devices never above the limit', async () => {
    const { kit, plan, events } = await setup({ simultaneousDevices: 3 });
    const v = await kit.vouchers.create({ planId: plan.id });
    const macs = Array.from({ length: 20 }, (_, i) => `02:00:00:00:01:${i.toString(16).padStart(2, '0')}`);
    const results = await Promise.all(macs.map((mac) => kit.vouchers.activate(v.id, { mac })));
    await kit.settled();
    expect(events['voucher.activated']).toHaveLength(1);
    expect(results.every((r) => r.state === 'active')).toBe(true);
    const stored = await kit.vouchers.get(v.id);
    expect(stored?.devices).toHaveLength(3);
    expect(new Set(stored?.devices.map((d) => d.mac)).size).toBe(3);
  });

  it('refuses another customer, used or expired vouchers, unknown ids and bad MACs', async () => {
    const { kit, plan, clock } = await setup();
    const ann = await kit.customers.create({ phone: '+37120000001' });
    const bob = await kit.customers.create({ phone: '+37120000002' });
    const v = await kit.vouchers.create({ planId: plan.id, customerId: ann.id });
    expect(await rejection(kit.vouchers.activate(v.id, { customerId: bob.id }))).toMatchObject({
      code: 'CONFLICT',
      issues: [{ path: 'customerId' }],
    });
    expect(await rejection(kit.vouchers.activate(v.id, { mac: 'ff:ff:ff:ff:ff:ff' }))).toMatchObject({
      code: 'INVALID_MAC',
      details: { reason: 'broadcast' },
      issues: [{ path: 'mac' }],
    });
    expect(await rejection(kit.vouchers.activate('no-such-voucher'))).toMatchObject({ code: 'NOT_FOUND' });
    await kit.vouchers.activate(v.id);
    clock.advance(DAY);
    expect(await rejection(kit.vouchers.activate(v.id))).toMatchObject({
      code: 'VOUCHER_NOT_USABLE',
      httpStatus: 409,
      details: { state: 'expired', reason: 'validity' },
    });
  });
});

describe('vouchers: expiry rules and state transitions', () => {
  it('after-activation: active until activation + seconds, then expired with one event', async () => {
    const { kit, plan, clock, events } = await setup({ expiry: { kind: 'after-activation', seconds: 3600 } });
    const v = await kit.vouchers.create({ planId: plan.id });
    clock.advance(10 * DAY); // waiting before activation does not count
    expect((await kit.vouchers.get(v.id))?.status).toBe('new');
    await kit.vouchers.activate(v.id);
    clock.advance(3599);
    expect((await kit.vouchers.get(v.id))?.status).toBe('active');
    clock.advance(1);
    const [a, b] = await Promise.all([kit.vouchers.get(v.id), kit.vouchers.get(v.id)]);
    expect(a).toMatchObject({ state: 'expired', status: 'expired', endReason: 'validity' });
    expect(b?.status).toBe('expired');
    expect((await kit.vouchers.get(v.id))?.endedAt).toEqual(clock.now());
    expect(events['voucher.expired'].map((e) => e.voucher.id)).toEqual([v.id]);
    expect(await kit.vouchers.expireDue()).toBe(0);
  });

  it('after-creation: expires counted from creation, activated or not (new -> expired)', async () => {
    const { kit, plan, clock, events } = await setup({ expiry: { kind: 'after-creation', seconds: 7 * DAY } });
    const v = await kit.vouchers.create({ planId: plan.id });
    expect(v.expiresAt).toEqual(new Date(T0.getTime() + 7 * DAY * 1000));
    const w = await kit.vouchers.create({ planId: plan.id });
    clock.advance(6 * DAY);
    const activated = await kit.vouchers.activate(w.id);
    expect(activated.expiresAt).toEqual(w.expiresAt);
    expect(activated.remaining.validitySeconds).toBe(DAY);
    clock.advance(DAY);
    expect(await kit.vouchers.expireDue()).toBe(2);
    expect(events['voucher.expired']).toHaveLength(2);
    expect((await kit.vouchers.get(v.id))?.status).toBe('expired');
    expect(await kit.vouchers.expireDue()).toBe(0);
    expect(events['voucher.expired']).toHaveLength(2);
  });

  it('fixed: valid until the date whenever activated', async () => {
    const validUntil = new Date(T0.getTime() + 2 * DAY * 1000);
    const { kit, plan, clock } = await setup({ expiry: { kind: 'fixed', validUntil } });
    const v = await kit.vouchers.create({ planId: plan.id });
    clock.advance(DAY);
    const active = await kit.vouchers.activate(v.id);
    expect(active.expiresAt).toEqual(validUntil);
    expect(active.remaining.validitySeconds).toBe(DAY);
    clock.set(validUntil);
    expect((await kit.vouchers.get(v.id))?.status).toBe('expired');
  });

  it('active -> online -> active as sessions open and close; active -> used at a limit', async () => {
    const { kit, plan, events } = await setup({ onlineTimeSeconds: 600 });
    const v = await kit.vouchers.create({ planId: plan.id });
    await kit.vouchers.activate(v.id, { mac: MAC_A });
    const base = { sessionId: 's-1', voucherId: v.id, inputOctets: 0, outputOctets: 0, eventTime: T0 };
    await kit.usage.record({ ...base, type: 'start', sessionTime: 0 });
    expect((await kit.vouchers.get(v.id))?.status).toBe('online');
    await kit.usage.record({ ...base, type: 'stop', sessionTime: 60 });
    expect((await kit.vouchers.get(v.id))?.status).toBe('active');
    const r = await kit.usage.record({ ...base, sessionId: 's-2', type: 'interim', sessionTime: 540 });
    expect(r.voucher).toMatchObject({ status: 'used', state: 'used', endReason: 'online-time' });
    expect(events['voucher.exhausted']).toMatchObject([{ reason: 'online-time', voucher: { id: v.id } }]);
    expect(await rejection(kit.vouchers.activate(v.id))).toMatchObject({
      code: 'VOUCHER_NOT_USABLE',
      details: { state: 'used' },
    });
  });
});

describe('vouchers: devices', () => {
  async function activeVoucher(t: TestKit & { plan: { id: string } }) {
    const v = await t.kit.vouchers.create({ planId: t.plan.id });
    return t.kit.vouchers.activate(v.id, { mac: MAC_A });
  }

  it('adds, renames and removes devices within the limit', async () => {
    const t = await setup();
    const v = await activeVoucher(t);
    const added = await t.kit.vouchers.addDevice(v.id, {
      mac: 'a483.e700.000b',
      label: ' Tablet ',
      addedBy: 'customer',
    });
    expect(added.devices[1]).toEqual({ mac: MAC_B, label: 'Tablet', addedAt: T0, addedBy: 'customer' });
    expect(await rejection(t.kit.vouchers.addDevice(v.id, { mac: MAC_C }))).toMatchObject({
      code: 'DEVICE_LIMIT_REACHED',
      details: { limit: 2 },
    });
    expect(await rejection(t.kit.vouchers.addDevice(v.id, { mac: 'A4-83-E7-00-00-0B' }))).toMatchObject({
      code: 'CONFLICT',
    });
    const renamed = await t.kit.vouchers.updateDevice(v.id, 'A483E700000B', { label: 'Kid’s <tablet>' });
    expect(renamed.devices[1]?.label).toBe('Kid’s <tablet>');
    const unlabeled = await t.kit.vouchers.updateDevice(v.id, MAC_B, { label: '' });
    expect(unlabeled.devices[1]).not.toHaveProperty('label');
    const removed = await t.kit.vouchers.removeDevice(v.id, MAC_A);
    expect(removed.devices.map((d) => d.mac)).toEqual([MAC_B]);
    expect(t.events['device.removed']).toMatchObject([{ voucherId: v.id, device: { mac: MAC_A, addedBy: 'login' } }]);
    expect(t.events['device.updated']).toHaveLength(2);
    // Room again after the removal.
    expect((await t.kit.vouchers.addDevice(v.id, { mac: MAC_C })).devices).toHaveLength(2);
  });

  it('refuses unknown devices, bad input, and ended vouchers', async () => {
    const t = await setup();
    const v = await activeVoucher(t);
    expect(await rejection(t.kit.vouchers.removeDevice(v.id, MAC_C))).toMatchObject({
      code: 'NOT_FOUND',
      issues: [{ path: 'mac' }],
    });
    expect(await rejection(t.kit.vouchers.updateDevice(v.id, MAC_C, { label: 'x' }))).toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await rejection(t.kit.vouchers.addDevice(v.id, { mac: '01:00:5e:00:00:01' }))).toMatchObject({
      code: 'INVALID_MAC',
      details: { reason: 'multicast' },
    });
    expect(await rejection(t.kit.vouchers.addDevice(v.id, { mac: MAC_B, label: 'x'.repeat(65) }))).toMatchObject({
      code: 'INVALID_INPUT',
      issues: [{ path: 'label' }],
    });
    expect(await rejection(t.kit.vouchers.addDevice(v.id, { mac: MAC_B, addedBy: 'hacker' as never }))).toMatchObject({
      issues: [{ path: 'addedBy' }],
    });
    t.clock.advance(DAY);
    expect(await rejection(t.kit.vouchers.addDevice(v.id, { mac: MAC_B }))).toMatchObject({
      code: 'VOUCHER_NOT_USABLE',
    });
    // Removing from an ended voucher still works (the host may clean up).
    expect((await t.kit.vouchers.removeDevice(v.id, MAC_A)).devices).toEqual([]);
  });

  it('30 parallel adds never pass the device limit', async () => {
    const t = await setup({ simultaneousDevices: 4 });
    const v = await activeVoucher(t);
    const macs = Array.from({ length: 30 }, (_, i) => `02:00:00:00:02:${i.toString(16).padStart(2, '0')}`);
    const results = await Promise.allSettled(macs.map((mac) => t.kit.vouchers.addDevice(v.id, { mac })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(refused.every((r) => (r.reason as { code: string }).code === 'DEVICE_LIMIT_REACHED')).toBe(true);
    expect((await t.kit.vouchers.get(v.id))?.devices).toHaveLength(4);
  });
});

describe('vouchers: a customer’s list', () => {
  it('orders online, active, new, then used and expired, newest first within each', async () => {
    const { kit, plan, clock } = await setup({ trafficLimit: { totalBytes: 1000 } });
    const c = await kit.customers.create({ phone: '+37120000009' });
    const make = async () => {
      clock.advance(60);
      return kit.vouchers.create({ planId: plan.id, customerId: c.id });
    };
    const newOld = await make();
    const used = await make();
    const activeOld = await make();
    const online = await make();
    const expired = await make();
    const activeNew = await make();
    const newNew = await make();
    for (const v of [used, activeOld, online, expired, activeNew]) await kit.vouchers.activate(v.id);
    await kit.usage.record({
      type: 'interim',
      sessionId: 'u',
      voucherId: used.id,
      inputOctets: 0,
      outputOctets: 1000,
      sessionTime: 1,
      eventTime: clock.now(),
    });
    await kit.usage.record({
      type: 'start',
      sessionId: 'o',
      voucherId: online.id,
      inputOctets: 0,
      outputOctets: 0,
      sessionTime: 0,
      eventTime: clock.now(),
    });
    // Expire one by hand-written state: a voucher whose validity ended.
    const stored = await kit.store.vouchers.get(expired.id);
    await kit.store.vouchers.update({ ...stored!, expiresAt: new Date(clock.now().getTime() - 1) }, stored!.version);
    const list = await kit.vouchers.listForCustomer(c.id);
    expect(list.map((v) => v.id)).toEqual([
      online.id,
      activeNew.id,
      activeOld.id,
      newNew.id,
      newOld.id,
      expired.id,
      used.id,
    ]);
    expect(list.map((v) => v.status)).toEqual(['online', 'active', 'active', 'new', 'new', 'expired', 'used']);
    expect(await kit.vouchers.listForCustomer('nobody')).toEqual([]);
  });

  it('reads 200 vouchers with batched reads (no per-voucher totals or session queries)', async () => {
    const inner = createMemoryStore();
    const calls = { getTotals: 0, getTotalsMany: 0, openSessions: 0 };
    const store: HotspotStore = {
      ...inner,
      usage: {
        ...inner.usage,
        getTotals: (id) => {
          calls.getTotals++;
          return inner.usage.getTotals(id);
        },
        getTotalsMany: (ids) => {
          calls.getTotalsMany++;
          return inner.usage.getTotalsMany(ids);
        },
        openSessions: (ids, after) => {
          calls.openSessions++;
          return inner.usage.openSessions(ids, after);
        },
      },
    };
    const { kit, plan } = await setup({}, { store });
    const c = await kit.customers.create({ phone: '+37120000010' });
    await kit.vouchers.generateSeries({ planId: plan.id, customerId: c.id, count: 200 });
    Object.assign(calls, { getTotals: 0, getTotalsMany: 0, openSessions: 0 });
    const list = await kit.vouchers.listForCustomer(c.id);
    expect(list).toHaveLength(200);
    expect(calls).toEqual({ getTotals: 0, getTotalsMany: 1, openSessions: 1 });
  });
});
