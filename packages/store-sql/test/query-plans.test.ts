import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeCustomer, makeVoucherRecord } from '@hotspot-kit/core/testing';
import Sqlite from 'better-sqlite3';
import { Kysely } from 'kysely';
import { afterAll, expect, it } from 'vitest';
import { createSqlStore } from '../src/create-sql-store.js';
import { migrateSqlite } from '../src/index.js';
import { sqliteDdl } from '../src/migrations/ddl.js';
import { sqliteCodec } from '../src/sql/codec.js';
import type { Database } from '../src/sql/database.js';
import { createSqliteDialect } from '../src/sqlite/sqlite-dialect.js';

// "Reads never scan": every statement the portal's reads and the sweeps run must find its
// rows through an index. The store runs on a connection that logs each statement (with its
// values), and SQLite's own EXPLAIN QUERY PLAN says how it would run each one.

const dir = mkdtempSync(join(tmpdir(), 'hotspot-kit-plans-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('the portal reads, log filters and sweeps use indexes, never a full table scan', async () => {
  const filename = join(dir, 'plans.db');
  await migrateSqlite({ filename });
  const executed: string[] = [];
  const logged = new Sqlite(filename, { verbose: (sql) => executed.push(String(sql)) });
  const db = new Kysely<Database>({ dialect: createSqliteDialect(logged) });
  const store = createSqlStore({ db, codec: sqliteCodec, ddl: sqliteDdl }, () => db.destroy());
  const customer = makeCustomer();
  await store.customers.insert(customer);
  const vouchers = Array.from({ length: 5 }, () => makeVoucherRecord({ customerId: customer.id }));
  await store.vouchers.insertMany(vouchers);
  executed.length = 0;

  const ids = vouchers.map((v) => v.id);
  const now = new Date('2026-03-01T00:00:00Z');
  await store.vouchers.listByCustomer(customer.id);
  await store.vouchers.get(ids[0] as string);
  await store.vouchers.getByCode(vouchers[0]?.code as string);
  await store.vouchers.listExpiringBefore(now, 10);
  await store.vouchers.findByCodeKey('SUMMER7KQ3');
  await store.vouchers.listByDevice('a4:83:e7:12:34:56', { states: ['new', 'active'], limit: 20 });
  await store.vouchers.listByDevice('a4:83:e7:12:34:56');
  await store.usage.openSessionsByNas('nas-1', 10);
  await store.usage.closeNasSessions('nas-1', now);
  await store.usage.getTotalsMany(ids);
  await store.usage.openSessions(ids, now);
  await store.usage.dailyHistory(ids, '2026-02-01', '2026-03-01');
  await store.usage.staleSessions(now, 10);
  // The accounting batch: its read, and the read-back after the writes.
  await store.usage.loadForEvents(['s-1', 's-2'], ids);
  await store.usage.applyEvents({ writes: [], voucherIds: ids, onlineAfter: now });
  await store.customers.findByPhone(customer.phone);
  await store.notifications.listDue(now, 10);
  await store.notifications.list({ customerId: customer.id });
  await store.otp.supersedeOthers(customer.phone, 'portal', 'x', now);
  await store.portalSessions.get('session-1');
  await store.portalSessions.revoke('session-1', now);
  await store.portalSessions.revokeAll(customer.phone, now, { exceptId: 'session-2' });
  for (const filter of [
    { to: customer.phone },
    { gatewayId: 'g' },
    { purpose: 'otp' },
    { locationId: 'l' },
    { since: now },
  ]) {
    await store.smsLog.list(filter);
  }
  await store.smsLog.findByProviderMessageId('SM123');
  await store.close();

  const raw = new Sqlite(filename, { readonly: true });
  const scans: string[] = [];
  const statements = executed.filter((s) => /^\s*(select|update)/i.test(s));
  expect(statements.length).toBeGreaterThanOrEqual(23);
  for (const statement of statements) {
    const plan = raw.prepare(`EXPLAIN QUERY PLAN ${statement}`).all() as { detail: string }[];
    for (const { detail } of plan) {
      // A SCAN of one of our tables reads every row; json_each (the id list) may be scanned.
      if (/^SCAN hotspot_/.test(detail) && !/USING (COVERING )?INDEX/.test(detail))
        scans.push(`${detail} <- ${statement}`);
    }
  }
  raw.close();
  expect(scans).toEqual([]);
});
