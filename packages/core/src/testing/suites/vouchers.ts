import { describe, expect, it } from 'vitest';
import type { VoucherRecord } from '../../domain/voucher.js';
import type { HotspotStore } from '../../store/hotspot-store.js';
import { makeVoucherRecord } from '../fixtures.js';
import type { MakeStore } from './types.js';
import { withStore } from './with-store.js';

const T0 = Date.parse('2026-03-01T10:00:00.000Z');

/**
 * Vouchers: unique code / short code, series inserts that report skipped codes, a
 * customer's list, compare-and-set updates (one winner of many racing writers), expiry scan.
 */
export function vouchersSuite(makeStore: MakeStore): void {
  const test = (name: string, fn: (store: HotspotStore) => Promise<void>) => it(name, () => withStore(makeStore, fn));

  describe('vouchers', () => {
    test('keeps every field: limits snapshot, devices, dates', async (store) => {
      const v = makeVoucherRecord({
        shortCode: '482913',
        customerId: 'cus-1',
        locationId: 'loc-1',
        state: 'active',
        activatedAt: new Date(T0),
        expiresAt: new Date(T0 + 86_400_000),
        limits: {
          downloadKbps: 20_000,
          uploadKbps: 5_000,
          trafficLimit: { downloadBytes: 6 * 2 ** 32, uploadBytes: 2 ** 33 + 1 },
          onlineTimeSeconds: 36_000,
          simultaneousDevices: 3,
          expiry: { kind: 'fixed', validUntil: new Date(T0 + 86_400_000) },
        },
        devices: [
          { mac: 'a4:83:e7:12:34:56', label: 'Ann’s <phone> "x"', addedAt: new Date(T0), addedBy: 'login' },
          { mac: 'da:a1:19:00:00:01', addedAt: new Date(T0 + 1000), addedBy: 'customer' },
        ],
      });
      expect(await store.vouchers.insert(v)).toBe(true);
      expect(await store.vouchers.get(v.id)).toEqual(v);
      const ended = makeVoucherRecord({ state: 'used', endedAt: new Date(T0 + 5), endReason: 'online-time' });
      await store.vouchers.insert(ended);
      expect(await store.vouchers.get(ended.id)).toEqual(ended);
      expect(await store.vouchers.get('no-such-voucher')).toBeNull();
    });

    test('insert refuses a taken id, code or short code', async (store) => {
      const v = makeVoucherRecord({ shortCode: '1234' });
      expect(await store.vouchers.insert(v)).toBe(true);
      expect(await store.vouchers.insert(makeVoucherRecord({ code: v.code }))).toBe(false);
      expect(await store.vouchers.insert(makeVoucherRecord({ shortCode: '1234' }))).toBe(false);
      expect(await store.vouchers.insert(makeVoucherRecord({ id: v.id }))).toBe(false);
      expect(await store.vouchers.insert(makeVoucherRecord({ shortCode: '12345' }))).toBe(true);
    });

    test('getByCode finds by code and by short code, exact match', async (store) => {
      const v = makeVoucherRecord({ code: 'SUMMER-7KQ3WXAM', shortCode: '0042' });
      await store.vouchers.insert(v);
      expect((await store.vouchers.getByCode('SUMMER-7KQ3WXAM'))?.id).toBe(v.id);
      expect((await store.vouchers.getByCode('0042'))?.id).toBe(v.id);
      expect(await store.vouchers.getByCode('SUMMER-7KQ3WXA')).toBeNull();
      expect(await store.vouchers.getByCode('42')).toBeNull();
    });

    test('insertMany stores a series and returns the ids it skipped for taken codes', async (store) => {
      const existing = makeVoucherRecord({ code: 'TAKEN1', shortCode: '777777' });
      await store.vouchers.insert(existing);
      const series = Array.from({ length: 2_000 }, () => makeVoucherRecord());
      const clashCode = makeVoucherRecord({ code: 'TAKEN1' });
      const clashShort = makeVoucherRecord({ shortCode: '777777' });
      const twinA = makeVoucherRecord({ code: 'TWIN' });
      const twinB = makeVoucherRecord({ code: 'TWIN' });
      const skipped = await store.vouchers.insertMany([
        ...series.slice(0, 1000),
        clashCode,
        twinA,
        clashShort,
        twinB,
        ...series.slice(1000),
      ]);
      expect(new Set(skipped)).toEqual(new Set([clashCode.id, clashShort.id, twinB.id]));
      expect(await store.vouchers.get(clashCode.id)).toBeNull();
      expect((await store.vouchers.getByCode('TWIN'))?.id).toBe(twinA.id);
      for (const v of [series[0], series[999], series[1999]] as VoucherRecord[]) {
        expect(await store.vouchers.get(v.id)).toEqual(v);
      }
      expect(await store.vouchers.insertMany([])).toEqual([]);
    });

    test("lists a customer's vouchers newest first", async (store) => {
      const mine = [1, 3, 2].map((d) =>
        makeVoucherRecord({ customerId: 'cus-a', createdAt: new Date(T0 + d * 1000), planName: `p${d}` }),
      );
      for (const v of mine) await store.vouchers.insert(v);
      await store.vouchers.insert(makeVoucherRecord({ customerId: 'cus-b' }));
      await store.vouchers.insert(makeVoucherRecord());
      expect((await store.vouchers.listByCustomer('cus-a')).map((v) => v.planName)).toEqual(['p3', 'p2', 'p1']);
      expect(await store.vouchers.listByCustomer('cus-none')).toEqual([]);
    });

    test('update is a compare-and-set on version', async (store) => {
      const v = makeVoucherRecord();
      await store.vouchers.insert(v);
      const activated: VoucherRecord = { ...v, state: 'active', activatedAt: new Date(T0), customerId: 'cus-x' };
      expect(await store.vouchers.update(activated, 0)).toBe(true);
      expect(await store.vouchers.get(v.id)).toEqual({ ...activated, version: 1 });
      expect((await store.vouchers.listByCustomer('cus-x')).map((x) => x.id)).toEqual([v.id]);
      // A writer that read version 0 loses and writes nothing.
      expect(await store.vouchers.update({ ...v, planName: 'stale' }, 0)).toBe(false);
      expect(await store.vouchers.get(v.id)).toMatchObject({ version: 1, state: 'active' });
      expect(await store.vouchers.update({ ...activated, devices: [] }, 1)).toBe(true);
      expect(await store.vouchers.update(makeVoucherRecord(), 0)).toBe(false);
      // Moving a voucher to another customer moves it between lists.
      expect(await store.vouchers.update({ ...activated, customerId: 'cus-y' }, 2)).toBe(true);
      expect(await store.vouchers.listByCustomer('cus-x')).toEqual([]);
      expect(await store.vouchers.listByCustomer('cus-y')).toHaveLength(1);
    });

    test('of 50 parallel updates from one version exactly one wins', async (store) => {
      const v = makeVoucherRecord({
        limits: { simultaneousDevices: 1, expiry: { kind: 'after-activation', seconds: 60 } },
      });
      await store.vouchers.insert(v);
      const writers = Array.from({ length: 50 }, (_, i) => ({
        ...v,
        devices: [
          {
            mac: `02:00:00:00:00:${i.toString(16).padStart(2, '0')}`,
            addedAt: new Date(T0),
            addedBy: 'customer' as const,
          },
        ],
      }));
      const results = await Promise.all(writers.map((w) => store.vouchers.update(w, 0)));
      expect(results.filter(Boolean)).toHaveLength(1);
      const stored = (await store.vouchers.get(v.id)) as VoucherRecord;
      expect(stored.version).toBe(1);
      expect(stored.devices).toEqual(writers[results.indexOf(true)]?.devices);
    });

    test('listExpiringBefore returns new and active vouchers due, oldest expiry first, up to the limit', async (store) => {
      const at = new Date(T0);
      const due = [3, 1, 2].map((m) =>
        makeVoucherRecord({
          state: m === 2 ? 'new' : 'active',
          expiresAt: new Date(T0 - m * 60_000),
          planName: `due${m}`,
        }),
      );
      const exact = makeVoucherRecord({ state: 'active', expiresAt: new Date(T0), planName: 'due0' });
      const later = makeVoucherRecord({ state: 'active', expiresAt: new Date(T0 + 1) });
      const used = makeVoucherRecord({ state: 'used', expiresAt: new Date(T0 - 999_000) });
      const expired = makeVoucherRecord({ state: 'expired', expiresAt: new Date(T0 - 999_000) });
      const open = makeVoucherRecord({ state: 'new' });
      for (const v of [...due, exact, later, used, expired, open]) await store.vouchers.insert(v);
      expect((await store.vouchers.listExpiringBefore(at, 10)).map((v) => v.planName)).toEqual([
        'due3',
        'due2',
        'due1',
        'due0',
      ]);
      expect((await store.vouchers.listExpiringBefore(at, 2)).map((v) => v.planName)).toEqual(['due3', 'due2']);
    });

    test('returns copies', async (store) => {
      const v = makeVoucherRecord({
        devices: [{ mac: '02:00:00:00:00:01', addedAt: new Date(T0), addedBy: 'operator' }],
      });
      await store.vouchers.insert(v);
      const got = (await store.vouchers.get(v.id)) as VoucherRecord;
      got.devices.push({ mac: '02:00:00:00:00:02', addedAt: new Date(T0), addedBy: 'operator' });
      got.limits.simultaneousDevices = 99;
      v.devices.length = 0;
      const again = (await store.vouchers.get(v.id)) as VoucherRecord;
      expect(again.devices).toHaveLength(1);
      expect(again.limits.simultaneousDevices).toBe(2);
    });
  });
}
