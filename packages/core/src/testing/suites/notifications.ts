import { describe, expect, it } from 'vitest';
import type { NotificationRecord } from '../../domain/notification.js';
import { testId } from '../fixtures.js';
import type { MakeStore } from './types.js';
import { withStore } from './with-store.js';

const T0 = new Date('2026-03-01T10:00:00.000Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

function makeRecord(overrides: Partial<NotificationRecord> = {}): NotificationRecord {
  return {
    key: `usage-threshold:${testId('vch')}:traffic:90`,
    kind: 'usage-threshold',
    status: 'claimed',
    to: '+14155552671',
    text: 'You have used 90% of your Day pass data.',
    customerId: 'cus-1',
    voucherId: 'vch-1',
    attempts: 1,
    nextAttemptAt: at(600),
    createdAt: T0,
    updatedAt: T0,
    version: 0,
    ...overrides,
  };
}

/** Conformance cases of `store.notifications`: insert-if-absent claims, compare-and-set, the due queue. */
export function notificationsSuite(makeStore: MakeStore): void {
  describe('notifications', () => {
    it('claim stores a record that get returns field for field (Dates as Dates, any text)', () =>
      withStore(makeStore, async (store) => {
        const record = makeRecord({
          kind: 'status-page-link',
          key: `status-page-link:customer:${testId('cus')}`,
          text: 'Привет, "Zoë" & co 🚀 — {{ not a tag }}\nhttps://wifi.example.com/portal?t=a.b.c',
          locationId: 'loc-1',
          lastError: 'gw1: rejected (HTTP 503)',
          smsId: 'sms-1',
        });
        expect(await store.notifications.claim(record)).toBe(true);
        const stored = await store.notifications.get(record.key);
        expect(stored).toEqual(record);
        expect(stored?.createdAt).toBeInstanceOf(Date);
        expect(stored?.nextAttemptAt).toBeInstanceOf(Date);
        expect(await store.notifications.get('no-such-key')).toBeNull();
      }));

    it('claim of a key that exists returns false and changes nothing', () =>
      withStore(makeStore, async (store) => {
        const first = makeRecord();
        expect(await store.notifications.claim(first)).toBe(true);
        expect(await store.notifications.claim({ ...first, to: '+447700900123', text: 'other' })).toBe(false);
        expect(await store.notifications.get(first.key)).toEqual(first);
      }));

    it('50 parallel claims of one key: exactly one wins, and its record is kept', () =>
      withStore(makeStore, async (store) => {
        const key = `status-page-link:customer:${testId('cus')}`;
        const attempts = Array.from({ length: 50 }, (_, i) =>
          makeRecord({ key, kind: 'status-page-link', text: `claim ${i}` }),
        );
        const results = await Promise.all(attempts.map((r) => store.notifications.claim(r)));
        expect(results.filter(Boolean)).toHaveLength(1);
        const winner = attempts[results.indexOf(true)];
        expect((await store.notifications.get(key))?.text).toBe(winner?.text);
      }));

    it('claims of different keys are independent', () =>
      withStore(makeStore, async (store) => {
        const records = Array.from({ length: 10 }, () => makeRecord());
        const results = await Promise.all(records.map((r) => store.notifications.claim(r)));
        expect(results).toEqual(records.map(() => true));
      }));

    it('returned records do not alias the stored ones', () =>
      withStore(makeStore, async (store) => {
        const record = makeRecord();
        await store.notifications.claim(record);
        record.text = 'changed after claim';
        const got = await store.notifications.get(record.key);
        expect(got?.text).toBe('You have used 90% of your Day pass data.');
        if (got) {
          got.status = 'sent';
          got.nextAttemptAt?.setTime(0);
        }
        const again = await store.notifications.get(record.key);
        expect(again?.status).toBe('claimed');
        expect(again?.nextAttemptAt).toEqual(at(600));
      }));

    it('update is a compare-and-set on version and bumps it', () =>
      withStore(makeStore, async (store) => {
        const record = makeRecord();
        await store.notifications.claim(record);
        const failed: NotificationRecord = {
          ...record,
          status: 'failed',
          lastError: 'all gateways failed',
          nextAttemptAt: at(60),
          updatedAt: at(1),
        };
        expect(await store.notifications.update(failed, 0)).toBe(true);
        expect(await store.notifications.get(record.key)).toEqual({ ...failed, version: 1 });
        // A writer still holding version 0 loses and writes nothing.
        expect(await store.notifications.update({ ...record, status: 'sent' }, 0)).toBe(false);
        expect((await store.notifications.get(record.key))?.status).toBe('failed');
        expect(await store.notifications.update(makeRecord({ key: 'missing-key' }), 0)).toBe(false);
        expect(await store.notifications.get('missing-key')).toBeNull();
      }));

    it('update clears optional fields left out of the next record', () =>
      withStore(makeStore, async (store) => {
        const record = makeRecord({ status: 'failed', lastError: 'timeout', nextAttemptAt: at(60) });
        await store.notifications.claim(record);
        const { nextAttemptAt: _n, lastError: _l, ...rest } = record;
        const sent: NotificationRecord = { ...rest, status: 'sent', smsId: 'sms-42', attempts: 2, updatedAt: at(61) };
        expect(await store.notifications.update(sent, 0)).toBe(true);
        const stored = await store.notifications.get(record.key);
        expect(stored).toEqual({ ...sent, version: 1 });
        expect(stored?.nextAttemptAt ?? undefined).toBeUndefined();
        expect(stored?.lastError ?? undefined).toBeUndefined();
      }));

    it('20 parallel updates from one version: exactly one wins', () =>
      withStore(makeStore, async (store) => {
        const record = makeRecord({ status: 'failed', nextAttemptAt: at(0) });
        await store.notifications.claim(record);
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            store.notifications.update({ ...record, status: 'claimed', lastError: `taker ${i}` }, 0),
          ),
        );
        expect(results.filter(Boolean)).toHaveLength(1);
        const stored = await store.notifications.get(record.key);
        expect(stored?.version).toBe(1);
        expect(stored?.lastError).toBe(`taker ${results.indexOf(true)}`);
      }));

    it('listDue returns failed records and expired claims that are due, soonest first, up to limit', () =>
      withStore(makeStore, async (store) => {
        const voucherId = testId('vch');
        const mk = (name: string, o: Partial<NotificationRecord>) =>
          makeRecord({ key: `due-test:${voucherId}:${name}`, voucherId, ...o });
        const records = [
          mk('failed-late', { status: 'failed', nextAttemptAt: at(-10) }),
          mk('failed-early', { status: 'failed', nextAttemptAt: at(-300) }),
          mk('failed-now', { status: 'failed', nextAttemptAt: at(0) }),
          mk('failed-future', { status: 'failed', nextAttemptAt: at(1) }),
          mk('claimed-stale', { status: 'claimed', nextAttemptAt: at(-60) }),
          mk('claimed-live', { status: 'claimed', nextAttemptAt: at(300) }),
          mk('sent', { status: 'sent', nextAttemptAt: at(-1000) }),
          mk('abandoned', { status: 'abandoned', nextAttemptAt: at(-1000) }),
          mk('failed-no-time', { status: 'failed', nextAttemptAt: undefined }),
        ];
        for (const r of records) expect(await store.notifications.claim(r)).toBe(true);
        const due = await store.notifications.listDue(at(0), 100);
        expect(due.map((r) => r.key.split(':').pop())).toEqual([
          'failed-early',
          'claimed-stale',
          'failed-late',
          'failed-now',
        ]);
        expect(due[0]?.nextAttemptAt).toBeInstanceOf(Date);
        const firstTwo = await store.notifications.listDue(at(0), 2);
        expect(firstTwo.map((r) => r.key.split(':').pop())).toEqual(['failed-early', 'claimed-stale']);
        expect(await store.notifications.listDue(at(-10_000), 10)).toEqual([]);
      }));

    it('listDue sees a record again after a CAS update makes it due', () =>
      withStore(makeStore, async (store) => {
        const record = makeRecord({ status: 'claimed', nextAttemptAt: at(600) });
        await store.notifications.claim(record);
        expect(await store.notifications.listDue(at(0), 10)).toEqual([]);
        await store.notifications.update({ ...record, status: 'failed', nextAttemptAt: at(-1) }, 0);
        expect((await store.notifications.listDue(at(0), 10)).map((r) => r.key)).toEqual([record.key]);
        await store.notifications.update({ ...record, status: 'sent', nextAttemptAt: undefined }, 1);
        expect(await store.notifications.listDue(at(0), 10)).toEqual([]);
      }));

    it('list filters by voucher and customer, newest first, with a limit', () =>
      withStore(makeStore, async (store) => {
        const [v1, v2, c1, c2] = [testId('vch'), testId('vch'), testId('cus'), testId('cus')];
        const rows = [
          makeRecord({ key: `a:${v1}`, voucherId: v1, customerId: c1, createdAt: at(1) }),
          makeRecord({ key: `b:${v1}`, voucherId: v1, customerId: c1, createdAt: at(3) }),
          makeRecord({ key: `c:${v2}`, voucherId: v2, customerId: c1, createdAt: at(2) }),
          makeRecord({ key: `d:${v2}`, voucherId: v2, customerId: c2, createdAt: at(4) }),
          makeRecord({ key: `e:${c2}`, voucherId: undefined, customerId: c2, createdAt: at(5) }),
        ];
        for (const r of rows) await store.notifications.claim(r);
        const keys = (list: NotificationRecord[]) => list.map((r) => r.key.split(':')[0]);
        expect(keys(await store.notifications.list({ voucherId: v1 }))).toEqual(['b', 'a']);
        expect(keys(await store.notifications.list({ customerId: c1 }))).toEqual(['b', 'c', 'a']);
        expect(keys(await store.notifications.list({ customerId: c2 }))).toEqual(['e', 'd']);
        expect(keys(await store.notifications.list({ voucherId: v2, customerId: c1 }))).toEqual(['c']);
        expect(keys(await store.notifications.list({ customerId: c1, limit: 2 }))).toEqual(['b', 'c']);
        expect(await store.notifications.list({ voucherId: testId('vch') })).toEqual([]);
        const all = await store.notifications.list({ customerId: c1 });
        expect(all[0]).toEqual(rows[1]);
      }));
  });
}
