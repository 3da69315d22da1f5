import { describe, expect, it } from 'vitest';
import { createTestKit, rejection } from './support/test-kit.js';

async function customerWithVouchers() {
  const t = createTestKit();
  const { kit, clock } = t;
  const plan = await kit.plans.create({
    name: 'Day pass',
    simultaneousDevices: 2,
    trafficLimit: { totalBytes: 1000 },
    expiry: { kind: 'after-activation', seconds: 86_400 },
  });
  const customer = await kit.customers.create({ phone: '+37120000019' });
  const ids: string[] = [];
  for (let i = 0; i < 13; i++) {
    clock.advance(60);
    const v = await kit.vouchers.create({ planId: plan.id, customerId: customer.id });
    if (i % 4 !== 3) await kit.vouchers.activate(v.id);
    ids.push(v.id);
  }
  const record = (voucherId: string, sessionId: string, type: 'start' | 'stop', bytes: number) =>
    kit.usage.record({
      type,
      sessionId,
      voucherId,
      inputOctets: 0,
      outputOctets: bytes,
      sessionTime: 1,
      eventTime: clock.now(),
    });
  await record(ids[2] as string, 'online', 'start', 10);
  await record(ids[5] as string, 'spent', 'stop', 1000);
  return { ...t, plan, customer, ids, record };
}

describe('vouchers: a customer’s list a page at a time', () => {
  it('pages concatenate to listForCustomer, the current and newest first, with the total', async () => {
    const { kit, customer } = await customerWithVouchers();
    const list = (await kit.vouchers.listForCustomer(customer.id)).map((v) => v.id);
    const seen: string[] = [];
    let cursor: string | undefined;
    const sizes: number[] = [];
    do {
      const page = await kit.vouchers.pageForCustomer(customer.id, { limit: 4, ...(cursor ? { cursor } : {}) });
      expect(page.total).toBe(13);
      sizes.push(page.vouchers.length);
      seen.push(...page.vouchers.map((v) => v.id));
      cursor = page.next ?? undefined;
    } while (cursor);
    expect(sizes).toEqual([4, 4, 4, 1]);
    expect(seen).toEqual(list);
    const first = await kit.vouchers.pageForCustomer(customer.id);
    expect(first.vouchers[0]?.status).toBe('online');
    expect(first.vouchers).toHaveLength(10);
    expect(first.voucherIds).toEqual(list);
    expect(await kit.vouchers.pageForCustomer('nobody')).toEqual({
      vouchers: [],
      total: 0,
      voucherIds: [],
      next: null,
    });
  });

  it('a voucher due to end is ended (once) and listed with the ended ones', async () => {
    const { kit, customer, ids, events } = await customerWithVouchers();
    // Over its cap since the last read: the page settles it, as every read does.
    await kit.store.usage.applySessionUpdate({
      session: {
        sessionId: 'late',
        voucherId: ids[12] as string,
        inputBytes: 0,
        outputBytes: 5000,
        sessionTime: 1,
        rawInputOctets: 0,
        rawOutputOctets: 5000,
        inputWraps: 0,
        outputWraps: 0,
        startedAt: new Date(),
        lastEventAt: new Date(),
        version: 0,
      },
      expectedVersion: null,
      delta: { downloadBytes: 5000, uploadBytes: 0, onlineSeconds: 0 },
      day: '2026-03-01',
    });
    const all = await kit.vouchers.pageForCustomer(customer.id, { limit: 100 });
    const late = all.vouchers.find((v) => v.id === ids[12]);
    expect(late).toMatchObject({ status: 'used', state: 'used', endReason: 'traffic' });
    expect(all.vouchers.map((v) => v.status).indexOf('used')).toBeGreaterThan(
      all.vouchers.map((v) => v.status).lastIndexOf('new'),
    );
    await kit.vouchers.pageForCustomer(customer.id, { limit: 100 });
    await kit.settled();
    expect(events['voucher.exhausted'].filter((e) => e.voucher.id === ids[12])).toHaveLength(1);
  });

  it('a voucher made while paging does not repeat or shift the older pages', async () => {
    const { kit, customer, plan, clock } = await customerWithVouchers();
    const first = await kit.vouchers.pageForCustomer(customer.id, { limit: 5 });
    clock.advance(60);
    await kit.vouchers.create({ planId: plan.id, customerId: customer.id });
    const second = await kit.vouchers.pageForCustomer(customer.id, { limit: 5, cursor: first.next as string });
    const firstIds = new Set(first.vouchers.map((v) => v.id));
    expect(second.vouchers.some((v) => firstIds.has(v.id))).toBe(false);
    expect(second.total).toBe(14);
  });

  it('refuses a foreign cursor and a bad limit, naming the field', async () => {
    const { kit, customer } = await customerWithVouchers();
    expect(await rejection(kit.vouchers.pageForCustomer(customer.id, { cursor: 'bm9wZQ' }))).toMatchObject({
      code: 'INVALID_INPUT',
      issues: [{ path: 'cursor' }],
    });
    for (const limit of [0, 101, 2.5]) {
      expect(await rejection(kit.vouchers.pageForCustomer(customer.id, { limit }))).toMatchObject({
        issues: [{ path: 'limit' }],
      });
    }
  });
});
