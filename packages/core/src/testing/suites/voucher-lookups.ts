import { describe, expect, it } from 'vitest';
import type { Device, VoucherRecord } from '../../domain/voucher.js';
import type { HotspotStore } from '../../store/hotspot-store.js';
import { makeVoucherRecord } from '../fixtures.js';
import type { MakeStore } from './types.js';
import { withStore } from './with-store.js';

const MAC_A = 'a4:83:e7:12:34:56';
const MAC_B = 'a4:83:e7:00:00:02';

function device(mac: string): Device {
  return { mac, addedAt: new Date('2026-02-01T00:00:00Z'), addedBy: 'login' };
}

async function activate(store: HotspotStore, v: VoucherRecord, at: string, macs: string[]): Promise<VoucherRecord> {
  const next: VoucherRecord = { ...v, state: 'active', activatedAt: new Date(at), devices: macs.map(device) };
  expect(await store.vouchers.update(next, v.version)).toBe(true);
  return { ...next, version: v.version + 1 };
}

/**
 * The lookups of a RADIUS login: a code typed with other separators (`findByCodeKey`) and
 * the vouchers a device is bound to (`listByDevice`), kept in step with every voucher write.
 */
export function voucherLookupsSuite(makeStore: MakeStore): void {
  const test = (name: string, fn: (store: HotspotStore) => Promise<void>) => it(name, () => withStore(makeStore, fn));

  describe('voucher lookups', () => {
    test('findByCodeKey finds a code by its letters and digits alone', async (store) => {
      const v = makeVoucherRecord({ code: 'SUMMER-7KQ3.WX_AM' });
      const other = makeVoucherRecord({ code: 'WINTER-7KQ3WXAM' });
      await store.vouchers.insertMany([v, other]);
      expect((await store.vouchers.findByCodeKey('SUMMER7KQ3WXAM')).map((r) => r.id)).toEqual([v.id]);
      expect(await store.vouchers.findByCodeKey('SUMMER7KQ3WXA')).toEqual([]);
      expect(await store.vouchers.findByCodeKey('7KQ3WXAM')).toEqual([]);
    });

    test('findByCodeKey returns every voucher that shares a key, up to the limit', async (store) => {
      const a = makeVoucherRecord({ code: 'AB-CD1234' });
      const b = makeVoucherRecord({ code: 'ABCD-1234' });
      const c = makeVoucherRecord({ code: 'ABC.D1234' });
      for (const v of [a, b, c]) expect(await store.vouchers.insert(v)).toBe(true);
      expect(await store.vouchers.findByCodeKey('ABCD1234')).toHaveLength(2);
      expect(await store.vouchers.findByCodeKey('ABCD1234', 5)).toHaveLength(3);
    });

    test('findByCodeKey follows a code change', async (store) => {
      const v = makeVoucherRecord({ code: 'OLD-CODE1' });
      await store.vouchers.insert(v);
      expect(await store.vouchers.update({ ...v, code: 'NEW-CODE1' }, v.version)).toBe(true);
      expect(await store.vouchers.findByCodeKey('OLDCODE1')).toEqual([]);
      expect((await store.vouchers.findByCodeKey('NEWCODE1')).map((r) => r.code)).toEqual(['NEW-CODE1']);
    });

    test('listByDevice finds the vouchers a device is bound to, last activated first', async (store) => {
      const older = makeVoucherRecord();
      const newer = makeVoucherRecord();
      const unrelated = makeVoucherRecord();
      await store.vouchers.insertMany([older, newer, unrelated]);
      await activate(store, older, '2026-02-01T00:00:00Z', [MAC_A]);
      await activate(store, newer, '2026-02-05T00:00:00Z', [MAC_B, MAC_A]);
      await activate(store, unrelated, '2026-02-06T00:00:00Z', [MAC_B]);
      expect((await store.vouchers.listByDevice(MAC_A)).map((v) => v.id)).toEqual([newer.id, older.id]);
      expect((await store.vouchers.listByDevice(MAC_A, { limit: 1 })).map((v) => v.id)).toEqual([newer.id]);
      const found = (await store.vouchers.listByDevice(MAC_A))[0] as VoucherRecord;
      expect(found.devices.map((d) => d.mac)).toEqual([MAC_B, MAC_A]);
      expect(await store.vouchers.listByDevice('a4:83:e7:99:99:99')).toEqual([]);
    });

    test('listByDevice filters by state and follows device changes', async (store) => {
      const v = makeVoucherRecord();
      await store.vouchers.insert(v);
      const active = await activate(store, v, '2026-02-01T00:00:00Z', [MAC_A]);
      expect(await store.vouchers.listByDevice(MAC_A, { states: ['new', 'active'] })).toHaveLength(1);
      const used: VoucherRecord = { ...active, state: 'used', endReason: 'traffic', endedAt: new Date('2026-02-02') };
      expect(await store.vouchers.update(used, active.version)).toBe(true);
      expect(await store.vouchers.listByDevice(MAC_A, { states: ['new', 'active'] })).toEqual([]);
      expect((await store.vouchers.listByDevice(MAC_A, { states: ['used'] })).map((r) => r.id)).toEqual([v.id]);
      const moved: VoucherRecord = { ...used, devices: [device(MAC_B)], version: active.version + 1 };
      expect(await store.vouchers.update(moved, active.version + 1)).toBe(true);
      expect(await store.vouchers.listByDevice(MAC_A)).toEqual([]);
      expect((await store.vouchers.listByDevice(MAC_B)).map((r) => r.id)).toEqual([v.id]);
    });

    test('a lost compare-and-set leaves the device index as it was', async (store) => {
      const v = makeVoucherRecord();
      await store.vouchers.insert(v);
      const stale: VoucherRecord = { ...v, devices: [device(MAC_A)] };
      expect(await store.vouchers.update(stale, v.version + 5)).toBe(false);
      expect(await store.vouchers.listByDevice(MAC_A)).toEqual([]);
    });

    test('vouchers inserted with devices are found by them', async (store) => {
      const a = makeVoucherRecord({ devices: [device(MAC_A)] });
      const b = makeVoucherRecord({ devices: [device(MAC_A)] });
      const c = makeVoucherRecord({ devices: [device(MAC_A)] });
      await store.vouchers.insert(a);
      await store.vouchers.insertMany([b, c]);
      expect((await store.vouchers.listByDevice(MAC_A)).map((v) => v.id).sort()).toEqual([a.id, b.id, c.id].sort());
    });

    test('parallel device changes of many vouchers keep the index exact', async (store) => {
      const vouchers = Array.from({ length: 12 }, () => makeVoucherRecord());
      await store.vouchers.insertMany(vouchers);
      await Promise.all(
        vouchers.map((v, i) => activate(store, v, '2026-02-01T00:00:00Z', i % 2 === 0 ? [MAC_A] : [MAC_B])),
      );
      expect(await store.vouchers.listByDevice(MAC_A)).toHaveLength(6);
      expect(await store.vouchers.listByDevice(MAC_B)).toHaveLength(6);
    });
  });
}
