import type { HotspotStore } from '@hotspot-kit/core';
import { createPostgresStore, createSqliteStore } from '@hotspot-kit/store-sql';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { describeWithoutPostgres, dropSchemas, probePostgres, runPrefix } from './postgres-env.js';

// Housekeeping keeps the tables the size of what is live: finished rate-limit windows and
// long-expired OTP challenges are deleted as the store is used (no cron job needed).

const DAY = 86_400_000;

function cases(name: string, open: () => Promise<HotspotStore>): void {
  describe(`housekeeping on ${name}`, () => {
    it('finished rate-limit windows are swept; the current and the previous window stay', async () => {
      const store = await open();
      try {
        const t0 = new Date('2026-01-01T00:00:00Z');
        await store.rateLimits.consume('phone:+1', { limit: 5, windowSeconds: 60, at: t0 });
        const later = new Date(t0.getTime() + 2 * DAY);
        await store.rateLimits.consume('previous', {
          limit: 5,
          windowSeconds: 3600,
          at: new Date(later.getTime() - 3600_000),
        });
        // 1,000 calls make one sweep.
        for (let i = 0; i < 1000; i++)
          await store.rateLimits.consume(`ip:${i % 10}`, { limit: 10_000, windowSeconds: 60, at: later });
        expect((await store.rateLimits.peek('phone:+1', { windowSeconds: 60, at: t0 })).count).toBe(0);
        expect(
          (await store.rateLimits.peek('previous', { windowSeconds: 3600, at: new Date(later.getTime() - 3600_000) }))
            .count,
        ).toBe(1);
        expect((await store.rateLimits.peek('ip:3', { windowSeconds: 60, at: later })).count).toBe(100);
      } finally {
        await store.close();
      }
    });

    it('OTP challenges a day past their expiry are pruned as new ones are inserted', async () => {
      const store = await open();
      try {
        const old = new Date('2026-01-01T00:00:00Z');
        const challenge = (id: string, at: Date) => ({
          id,
          phone: '+14155550100',
          purpose: 'portal' as const,
          codeHmac: 'c'.repeat(64),
          createdAt: at,
          expiresAt: new Date(at.getTime() + 300_000),
          attempts: 0,
          sends: 1,
          lastSentAt: at,
          resendAfter: at,
        });
        await store.otp.insert(challenge('old', old));
        const now = new Date(old.getTime() + 2 * DAY);
        for (let i = 0; i < 500; i++) await store.otp.insert(challenge(`new-${i}`, now));
        expect(await store.otp.get('old')).toBeNull();
        expect(await store.otp.get('new-0')).not.toBeNull();
      } finally {
        await store.close();
      }
    });
  });
}

cases('SQLite', () => createSqliteStore({ filename: ':memory:' }));

const probe = await probePostgres();
if (probe.ok) {
  const prefix = runPrefix('house');
  const pool = new pg.Pool({ connectionString: probe.connectionString, max: 4 });
  let n = 0;
  afterAll(async () => {
    await dropSchemas(pool, prefix);
    await pool.end();
  });
  cases('PostgreSQL', () => {
    n += 1;
    return createPostgresStore({ pool, schema: `${prefix}_${n}` });
  });
} else {
  describeWithoutPostgres('housekeeping on PostgreSQL', probe.reason);
}
