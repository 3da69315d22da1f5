import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHotspotKit, type HotspotStore, type SmsLogEntry, type SmsMessage } from '@hotspot-kit/core';
import { createPostgresStore, createSqliteStore } from '@hotspot-kit/store-sql';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { describeWithoutPostgres, dropSchemas, probePostgres, runPrefix } from './postgres-env.js';

// The kit on a SQL store, end to end: what a host does first (plan, voucher, activation,
// accounting, the portal's list and history, an OTP login), with real SQL underneath.

function smsStub() {
  const sent: SmsMessage[] = [];
  return {
    sent,
    async send(m: SmsMessage): Promise<SmsLogEntry> {
      sent.push(m);
      const now = new Date();
      return {
        id: `sms-${sent.length}`,
        to: m.to,
        text: m.logText ?? m.text,
        purpose: m.purpose,
        status: 'sent',
        createdAt: now,
        updatedAt: now,
        attempts: [],
      };
    },
  };
}

function ownership(name: string, open: () => Promise<HotspotStore>): void {
  it(`kit.close() never closes the store it was handed: a second kit on the same ${name} store keeps working`, async () => {
    const store = await open();
    try {
      const first = createHotspotKit({ store, secret: 'a-long-random-secret-for-tests' });
      const second = createHotspotKit({ store, secret: 'a-long-random-secret-for-tests' });
      const customer = await first.customers.create({ phone: '+37120000002' });
      await first.close();
      expect((await second.customers.get(customer.id))?.phone).toBe('+37120000002');
      await second.close();
      expect(await store.customers.findByPhone('+37120000002')).not.toBeNull();
    } finally {
      await store.close();
    }
  });
}

/** Two app instances: two stores (two connections or pools) on one database. */
function instances(name: string, open: () => Promise<HotspotStore>): void {
  it(`a portal session revoked on one instance is refused by every other (${name})`, async () => {
    const [a, b] = [await open(), await open()];
    try {
      const kitA = createHotspotKit({ store: a, secret: 'a-long-random-secret-for-tests' });
      const kitB = createHotspotKit({ store: b, secret: 'a-long-random-secret-for-tests' });
      const customer = await kitA.customers.create({ phone: '+37120000003' });
      const one = await kitA.portalSessions.start({ phone: customer.phone, maxAgeSeconds: 3600 });
      const two = await kitA.portalSessions.start({ phone: customer.phone, maxAgeSeconds: 3600 });
      expect(await kitB.portalSessions.isActive(one.id, customer.phone)).toBe(true);
      expect(await kitB.portalSessions.revoke(one.id)).toBe(true);
      expect(await kitA.portalSessions.isActive(one.id, customer.phone)).toBe(false);
      expect(await kitB.portalSessions.revokeAll({ customerId: customer.id })).toBe(1);
      expect(await kitA.portalSessions.isActive(two.id, customer.phone)).toBe(false);
    } finally {
      await a.close();
      await b.close();
    }
  });
}

function flow(name: string, open: () => Promise<HotspotStore>): void {
  it(`the kit runs on ${name}: voucher, accounting, portal list, history, OTP`, async () => {
    const store = await open();
    const sms = smsStub();
    try {
      const kit = createHotspotKit({ store, sms, secret: 'a-long-random-secret-for-tests' });
      const customer = await kit.customers.create({ phone: '+37120000001', name: 'Anna' });
      const plan = await kit.plans.create({
        name: 'Day',
        trafficLimit: { totalBytes: 10 * 2 ** 30 },
        simultaneousDevices: 2,
        expiry: { kind: 'after-activation', seconds: 86_400 },
      });
      const voucher = await kit.vouchers.create({ planId: plan.id, customerId: customer.id });
      await kit.vouchers.activate(voucher.id, { mac: 'AA-BB-CC-DD-EE-01' });
      const t0 = Date.now();
      const base = { sessionId: 'nas1-1', voucherId: voucher.id, mac: 'aa:bb:cc:dd:ee:01', inputGigawords: 0 };
      await kit.usage.record({
        ...base,
        type: 'start',
        inputOctets: 0,
        outputOctets: 0,
        sessionTime: 0,
        eventTime: new Date(t0),
      });
      await kit.usage.record({
        ...base,
        type: 'interim',
        inputOctets: 1_000,
        outputOctets: 5_000_000_000,
        outputGigawords: 1,
        sessionTime: 60,
        eventTime: new Date(t0 + 60_000),
      });
      // A replay adds nothing.
      await kit.usage.record({
        ...base,
        type: 'interim',
        inputOctets: 1_000,
        outputOctets: 5_000_000_000,
        outputGigawords: 1,
        sessionTime: 60,
        eventTime: new Date(t0 + 60_000),
      });
      const [listed] = await kit.vouchers.listForCustomer(customer.id);
      expect(listed).toMatchObject({ id: voucher.id, status: 'online', devices: [{ mac: 'aa:bb:cc:dd:ee:01' }] });
      expect(listed?.usage.uploadBytes).toBe(1_000);
      expect(listed?.usage.downloadBytes).toBe(2 ** 32 + 5_000_000_000);
      const day = new Date(t0 + 60_000).toISOString().slice(0, 10);
      const history = await kit.usage.history(customer.id, { from: day, to: day });
      expect(history).toEqual([{ day, downloadBytes: 2 ** 32 + 5_000_000_000, uploadBytes: 1_000, onlineSeconds: 60 }]);

      const started = await kit.otp.start({ phone: customer.phone, purpose: 'portal', ip: '198.51.100.1' });
      expect(started.ok).toBe(true);
      if (!started.ok) return;
      const code = /\d{6}/.exec(sms.sent.at(-1)?.text ?? '')?.[0] ?? '';
      const wrong = code === '000000' ? '111111' : '000000';
      expect(await kit.otp.verify({ challengeId: started.challengeId, code: wrong })).toMatchObject({
        ok: false,
        reason: 'wrong-code',
      });
      expect(await kit.otp.verify({ challengeId: started.challengeId, code })).toMatchObject({
        ok: true,
        phone: customer.phone,
      });
      expect(await kit.otp.verify({ challengeId: started.challengeId, code })).toMatchObject({ ok: false });
    } finally {
      await store.close();
    }
  });
}

describe('kit on SQL stores', () => {
  flow('SQLite', () => createSqliteStore({ filename: ':memory:' }));
  ownership('SQLite', () => createSqliteStore({ filename: ':memory:' }));
  const dir = mkdtempSync(join(tmpdir(), 'hk-instances-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  instances('SQLite file', () => createSqliteStore({ filename: join(dir, 'shared.db') }));
});

const probe = await probePostgres();
if (probe.ok) {
  const prefix = runPrefix('kit');
  const pool = new pg.Pool({ connectionString: probe.connectionString, max: 4 });
  afterAll(async () => {
    await dropSchemas(pool, prefix);
    await pool.end();
  });
  describe('kit on SQL stores', () => {
    flow('PostgreSQL', () => createPostgresStore({ pool, schema: `${prefix}_1` }));
    // The store's own pool (from a connection string) is the one kit.close() used to end.
    ownership('PostgreSQL', () =>
      createPostgresStore({ connectionString: probe.connectionString, schema: `${prefix}_2`, poolSize: 2 }),
    );
    instances('PostgreSQL', () =>
      createPostgresStore({ connectionString: probe.connectionString, schema: `${prefix}_3`, poolSize: 2 }),
    );
  });
} else {
  describeWithoutPostgres('kit on PostgreSQL', probe.reason);
}
