import { describe, expect, it } from 'vitest';
import type { DeliveryReceipt, SmsLogEntry } from '../../domain/sms.js';
import type { HotspotStore, SmsLogFilter } from '../../store/hotspot-store.js';
import { testId } from '../fixtures.js';
import type { MakeStore } from './types.js';
import { withStore } from './with-store.js';

const T0 = Date.parse('2026-03-01T10:00:00.000Z');

function entry(overrides: Partial<SmsLogEntry> = {}): SmsLogEntry {
  const createdAt = overrides.createdAt ?? new Date(T0);
  return {
    id: testId('sms'),
    to: '+14155550100',
    text: 'Your code is ******',
    purpose: 'otp',
    status: 'sent',
    createdAt,
    updatedAt: createdAt,
    attempts: [],
    ...overrides,
  };
}

function receipt(
  providerMessageId: string,
  status: DeliveryReceipt['status'],
  overrides: Partial<DeliveryReceipt> = {},
) {
  return { providerMessageId, status, receivedAt: new Date(T0 + 60_000), ...overrides } satisfies DeliveryReceipt;
}

async function listAll(store: HotspotStore, filter: SmsLogFilter, limit = 2): Promise<SmsLogEntry[]> {
  const out: SmsLogEntry[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 1000; i++) {
    const page = await store.smsLog.list(filter, cursor === undefined ? { limit } : { limit, cursor });
    out.push(...page.items);
    if (page.nextCursor === undefined) return out;
    cursor = page.nextCursor;
  }
  throw new Error('pagination did not end');
}

/** SMS log: entries, filters, newest-first pages, receipts merged on read (also early ones). */
export function smsLogSuite(makeStore: MakeStore): void {
  const test = (name: string, fn: (store: HotspotStore) => Promise<void>) => it(name, () => withStore(makeStore, fn));

  describe('sms-log', () => {
    test('keeps every field of an entry, with its attempts, and returns copies', async (store) => {
      const full = entry({
        locationId: 'loc-1',
        sender: 'CafeWiFi',
        status: 'failed',
        gatewayId: 'gw-b',
        errorCode: '21211',
        meta: { challengeId: 'ch-1' },
        attempts: [
          {
            gatewayId: 'gw-a',
            gatewayName: 'Primary',
            startedAt: new Date(T0 + 1),
            durationMs: 12.5,
            outcome: 'timeout',
            error: 'no answer within 3000 ms (the gateway may have sent it)',
            request: { method: 'POST', url: 'https://sms.example/send', headers: { 'x-key': '****' }, body: '{}' },
          },
          {
            gatewayId: 'gw-b',
            startedAt: new Date(T0 + 3100),
            durationMs: 80,
            outcome: 'rejected',
            httpStatus: 400,
            responseSnippet: '{"code":21211}',
            providerError: { code: 21211, message: 'Invalid To', moreInfo: 'https://www.twilio.com/docs/errors/21211' },
          },
        ],
      });
      await store.smsLog.insert(full);
      const got = await store.smsLog.get(full.id);
      expect(got).toEqual(full);
      expect(got?.createdAt).toBeInstanceOf(Date);
      expect(got?.attempts[0]?.startedAt).toBeInstanceOf(Date);
      if (got) {
        got.status = 'sent';
        got.attempts.push({ ...full.attempts[0]!, gatewayId: 'mutated' });
      }
      expect(await store.smsLog.get(full.id)).toEqual(full);
      expect(await store.smsLog.get('no-such-id')).toBeNull();
    });

    test('rejects a second insert of the same id', async (store) => {
      const e = entry();
      await store.smsLog.insert(e);
      await expect(store.smsLog.insert({ ...e, text: 'other' })).rejects.toThrow();
      expect((await store.smsLog.get(e.id))?.text).toBe(e.text);
    });

    test('update replaces the entry', async (store) => {
      const e = entry({ status: 'sending' });
      await store.smsLog.insert(e);
      const next: SmsLogEntry = {
        ...e,
        status: 'sent',
        gatewayId: 'gw-a',
        providerMessageId: 'SM123',
        updatedAt: new Date(T0 + 500),
        attempts: [{ gatewayId: 'gw-a', startedAt: new Date(T0), durationMs: 40, outcome: 'sent', httpStatus: 201 }],
      };
      await store.smsLog.update(next);
      expect(await store.smsLog.get(e.id)).toEqual(next);
    });

    test('lists newest first, ties broken by id, and filters each field', async (store) => {
      const rows = [
        entry({ id: 'a1', createdAt: new Date(T0), to: '+111', status: 'sent', purpose: 'otp', gatewayId: 'g1' }),
        entry({ id: 'a2', createdAt: new Date(T0 + 1000), to: '+222', status: 'failed', purpose: 'test' }),
        entry({ id: 'a3', createdAt: new Date(T0 + 2000), to: '+111', locationId: 'L1', gatewayId: 'g2' }),
        entry({ id: 'a4', createdAt: new Date(T0 + 2000), to: '+333', locationId: 'L2', purpose: 'usage-threshold' }),
        entry({ id: 'a5', createdAt: new Date(T0 + 3000), to: '+111', locationId: 'L1', purpose: 'custom-promo' }),
      ];
      for (const r of rows) await store.smsLog.insert(r);
      const ids = async (filter: SmsLogFilter) => (await store.smsLog.list(filter)).items.map((e) => e.id);
      expect(await ids({})).toEqual(['a5', 'a4', 'a3', 'a2', 'a1']);
      expect(await ids({ to: '+111' })).toEqual(['a5', 'a3', 'a1']);
      expect(await ids({ status: 'failed' })).toEqual(['a2']);
      expect(await ids({ purpose: 'otp' })).toEqual(['a3', 'a1']);
      expect(await ids({ purpose: 'custom-promo' })).toEqual(['a5']);
      expect(await ids({ gatewayId: 'g2' })).toEqual(['a3']);
      expect(await ids({ locationId: 'L1' })).toEqual(['a5', 'a3']);
      // since is inclusive, until exclusive
      expect(await ids({ since: new Date(T0 + 2000) })).toEqual(['a5', 'a4', 'a3']);
      expect(await ids({ until: new Date(T0 + 2000) })).toEqual(['a2', 'a1']);
      expect(await ids({ since: new Date(T0 + 1000), until: new Date(T0 + 3000), to: '+111' })).toEqual(['a3']);
      expect(await ids({ to: '+999' })).toEqual([]);
    });

    test('pages newest first with a cursor, every entry exactly once', async (store) => {
      const rows = Array.from({ length: 7 }, (_, i) =>
        entry({ id: `p${i}`, createdAt: new Date(T0 + Math.floor(i / 2) * 1000), to: i % 2 ? '+1' : '+2' }),
      );
      for (const r of rows) await store.smsLog.insert(r);
      const first = await store.smsLog.list({}, { limit: 3 });
      expect(first.items.map((e) => e.id)).toEqual(['p6', 'p5', 'p4']);
      expect(first.nextCursor).toBeTypeOf('string');
      const all = await listAll(store, {}, 3);
      expect(all.map((e) => e.id)).toEqual(['p6', 'p5', 'p4', 'p3', 'p2', 'p1', 'p0']);
      const filtered = await listAll(store, { to: '+1' }, 2);
      expect(filtered.map((e) => e.id)).toEqual(['p5', 'p3', 'p1']);
      const exact = await store.smsLog.list({}, { limit: 7 });
      expect(exact.items).toHaveLength(7);
      expect(exact.nextCursor).toBeUndefined();
    });

    test('a cursor stays valid when newer entries arrive between pages', async (store) => {
      for (let i = 0; i < 4; i++) await store.smsLog.insert(entry({ id: `c${i}`, createdAt: new Date(T0 + i * 1000) }));
      const first = await store.smsLog.list({}, { limit: 2 });
      await store.smsLog.insert(entry({ id: 'c9', createdAt: new Date(T0 + 99_000) }));
      const second = await store.smsLog.list({}, { limit: 2, cursor: first.nextCursor! });
      expect([...first.items, ...second.items].map((e) => e.id)).toEqual(['c3', 'c2', 'c1', 'c0']);
    });

    test('rejects a malformed cursor', async (store) => {
      await expect(store.smsLog.list({}, { cursor: 'not a cursor!' })).rejects.toThrow();
    });

    test('a receipt for a logged message is merged into get, list and findByProviderMessageId', async (store) => {
      const e = entry({ providerMessageId: 'SM-1', status: 'sent' });
      await store.smsLog.insert(e);
      const applied = await store.smsLog.recordReceipt(receipt('SM-1', 'delivered'));
      expect(applied?.id).toBe(e.id);
      expect(applied?.status).toBe('delivered');
      const got = await store.smsLog.get(e.id);
      expect(got?.status).toBe('delivered');
      expect(got?.deliveredAt?.getTime()).toBe(T0 + 60_000);
      expect((await store.smsLog.findByProviderMessageId('SM-1'))?.status).toBe('delivered');
      expect((await store.smsLog.list({ status: 'delivered' })).items.map((x) => x.id)).toEqual([e.id]);
      expect((await store.smsLog.list({ status: 'sent' })).items).toEqual([]);
      expect(await store.smsLog.findByProviderMessageId('SM-unknown')).toBeNull();
    });

    test('undelivered keeps the provider error code', async (store) => {
      const e = entry({ providerMessageId: 'SM-2' });
      await store.smsLog.insert(e);
      await store.smsLog.recordReceipt(receipt('SM-2', 'undelivered', { errorCode: '30003' }));
      const got = await store.smsLog.get(e.id);
      expect(got?.status).toBe('undelivered');
      expect(got?.errorCode).toBe('30003');
    });

    test('a receipt recorded before its entry is applied when the entry appears', async (store) => {
      expect(await store.smsLog.recordReceipt(receipt('SM-early', 'delivered'))).toBeNull();
      const e = entry({ providerMessageId: 'SM-early', status: 'sent' });
      await store.smsLog.insert(e);
      expect((await store.smsLog.get(e.id))?.status).toBe('delivered');
    });

    test('a receipt recorded before the send wrote the provider id is applied after update', async (store) => {
      const e = entry({ status: 'sending' });
      await store.smsLog.insert(e);
      expect(await store.smsLog.recordReceipt(receipt('SM-race', 'undelivered', { errorCode: '30006' }))).toBeNull();
      await store.smsLog.update({ ...e, status: 'sent', providerMessageId: 'SM-race', updatedAt: new Date(T0 + 5) });
      const got = await store.smsLog.get(e.id);
      expect(got?.status).toBe('undelivered');
      expect(got?.errorCode).toBe('30006');
      // A later update by the sender (it owns the entry) does not lose the receipt either.
      await store.smsLog.update({ ...e, status: 'sent', providerMessageId: 'SM-race', updatedAt: new Date(T0 + 9) });
      expect((await store.smsLog.get(e.id))?.status).toBe('undelivered');
    });

    test('a late earlier-stage receipt never replaces a final one; finals replace each other', async (store) => {
      const e = entry({ providerMessageId: 'SM-3' });
      await store.smsLog.insert(e);
      await store.smsLog.recordReceipt(receipt('SM-3', 'delivered'));
      await store.smsLog.recordReceipt(receipt('SM-3', 'sent', { receivedAt: new Date(T0 + 90_000) }));
      await store.smsLog.recordReceipt(receipt('SM-3', 'queued', { receivedAt: new Date(T0 + 91_000) }));
      expect((await store.smsLog.get(e.id))?.status).toBe('delivered');
      await store.smsLog.recordReceipt(receipt('SM-3', 'undelivered', { errorCode: '30005' }));
      expect((await store.smsLog.get(e.id))?.status).toBe('undelivered');
      const other = entry({ providerMessageId: 'SM-4' });
      await store.smsLog.insert(other);
      await store.smsLog.recordReceipt(receipt('SM-4', 'sent'));
      expect((await store.smsLog.get(other.id))?.status).toBe('sent');
    });

    test('concurrent inserts are all kept and listed once', async (store) => {
      const rows = Array.from({ length: 40 }, (_, i) => entry({ id: `k${String(i).padStart(2, '0')}` }));
      await Promise.all(rows.map((r) => store.smsLog.insert(r)));
      const all = await listAll(store, {}, 7);
      expect(all).toHaveLength(40);
      expect(new Set(all.map((e) => e.id)).size).toBe(40);
      // Same createdAt everywhere: the id breaks the tie, descending.
      expect(all[0]?.id).toBe('k39');
      expect(all[39]?.id).toBe('k00');
    });

    test('concurrent receipts in any order end in the final status', async (store) => {
      const e = entry({ providerMessageId: 'SM-c' });
      await store.smsLog.insert(e);
      const stages: DeliveryReceipt['status'][] = ['queued', 'sent', 'delivered', 'sent', 'queued', 'sent'];
      await Promise.all(
        stages.map((s, i) => store.smsLog.recordReceipt(receipt('SM-c', s, { receivedAt: new Date(T0 + i) }))),
      );
      expect((await store.smsLog.get(e.id))?.status).toBe('delivered');
    });

    test('a receipt racing the insert of its entry is not lost', async (store) => {
      const rows = Array.from({ length: 20 }, (_, i) => entry({ providerMessageId: `SM-r${i}` }));
      await Promise.all(
        rows.flatMap((r, i) => [
          store.smsLog.insert(r),
          store.smsLog.recordReceipt(receipt(`SM-r${i}`, i % 2 ? 'delivered' : 'undelivered')),
        ]),
      );
      const got = await Promise.all(rows.map((r) => store.smsLog.get(r.id)));
      expect(got.map((g) => g?.status)).toEqual(rows.map((_, i) => (i % 2 ? 'delivered' : 'undelivered')));
    });
  });
}
