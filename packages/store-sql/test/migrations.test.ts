import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isHotspotKitError } from '@hotspot-kit/core';
import {
  createPostgresStore,
  createSqliteStore,
  migratePostgres,
  migrateSqlite,
  SCHEMA_VERSION,
} from '@hotspot-kit/store-sql';
import Sqlite from 'better-sqlite3';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../src/migrations/migrations.js';
import { describeWithoutPostgres, dropSchemas, probePostgres, runPrefix } from './postgres-env.js';

const VERSIONS = MIGRATIONS.map((m) => m.version);

describe('SQLite migrations', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hotspot-kit-migrate-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('migrateSqlite applies every migration once, then nothing', async () => {
    const filename = join(dir, 'deploy.db');
    expect(await migrateSqlite({ filename })).toEqual({
      applied: VERSIONS,
      version: SCHEMA_VERSION,
    });
    expect(await migrateSqlite({ filename })).toEqual({ applied: [], version: SCHEMA_VERSION });
    const store = await createSqliteStore({ filename, migrate: false });
    expect(await store.locations.list()).toEqual([]);
    await store.close();
  });

  it('opening a store twice migrates once and keeps the data', async () => {
    const filename = join(dir, 'reopen.db');
    const first = await createSqliteStore({ filename });
    await first.plans.insert({
      id: 'p1',
      name: 'Day',
      simultaneousDevices: 1,
      expiry: { kind: 'fixed', validUntil: new Date('2030-01-01T00:00:00.123Z') },
      createdAt: new Date('2026-01-01T00:00:00Z'),
    });
    await first.close();
    const second = await createSqliteStore({ filename });
    expect((await second.plans.get('p1'))?.expiry).toEqual({
      kind: 'fixed',
      validUntil: new Date('2030-01-01T00:00:00.123Z'),
    });
    await second.close();
    const raw = new Sqlite(filename);
    expect(raw.prepare('SELECT version FROM hotspot_migrations').pluck().all()).toEqual(VERSIONS);
    raw.close();
  });

  it('a missing folder of the file is created', async () => {
    const store = await createSqliteStore({ filename: join(dir, 'nested', 'deeper', 'app.db') });
    expect(await store.customers.get('x')).toBeNull();
    await store.close();
  });

  it('a file store runs in WAL mode', async () => {
    const filename = join(dir, 'wal.db');
    const store = await createSqliteStore({ filename });
    const raw = new Sqlite(filename);
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
    await store.close();
  });

  it('migrate: false refuses a database that is behind, naming the fix', async () => {
    const error = await createSqliteStore({ filename: join(dir, 'empty.db'), migrate: false }).catch((e) => e);
    expect(isHotspotKitError(error)).toBe(true);
    expect(error.code).toBe('STORE_ERROR');
    expect(error.message).toContain('hotspot-kit db migrate');
    expect(error.details).toEqual({ schemaVersion: 0, requiredVersion: SCHEMA_VERSION });
  });

  it('bad options are typed errors naming the option', async () => {
    for (const [options, path] of [
      [{}, 'filename'],
      [{ filename: '' }, 'filename'],
      [{ filename: ':memory:', busyTimeoutMs: -1 }, 'busyTimeoutMs'],
      [{ filename: ':memory:', migrate: 'yes' }, 'migrate'],
    ] as const) {
      const error = await createSqliteStore(options as never).catch((e) => e);
      expect(isHotspotKitError(error) && error.code).toBe('INVALID_CONFIG');
      expect(error.issues[0].path).toBe(path);
    }
  });
});

describe('PostgreSQL options', () => {
  it('bad options are typed errors naming the option', async () => {
    for (const [options, path] of [
      [{}, 'connectionString'],
      [{ connectionString: 'postgres://x@localhost/db', pool: {} }, 'pool'],
      [{ pool: {} }, 'pool'],
      [{ connectionString: 'postgres://x@localhost/db', poolSize: 0 }, 'poolSize'],
      [{ connectionString: 'postgres://x@localhost/db', schema: '' }, 'schema'],
    ] as const) {
      const error = await createPostgresStore(options as never).catch((e) => e);
      expect(isHotspotKitError(error) && error.code).toBe('INVALID_CONFIG');
      expect(error.issues[0].path).toBe(path);
    }
  });
});

const probe = await probePostgres();

if (probe.ok) {
  describe('PostgreSQL migrations and pools', () => {
    const prefix = runPrefix('migr');
    const pool = new pg.Pool({ connectionString: probe.connectionString, max: 4 });
    afterAll(async () => {
      await dropSchemas(pool, prefix);
      await pool.end();
    });

    it('migratePostgres applies every migration once, then nothing; migrate: false then opens', async () => {
      const schema = `${prefix}_deploy`;
      const options = { connectionString: probe.connectionString, schema };
      const behind = await createPostgresStore({ ...options, migrate: false }).catch((e) => e);
      expect(isHotspotKitError(behind) && behind.code).toBe('STORE_ERROR');
      expect((await migratePostgres(options)).applied).toEqual(VERSIONS);
      expect(await migratePostgres(options)).toEqual({ applied: [], version: SCHEMA_VERSION });
      const store = await createPostgresStore({ ...options, migrate: false });
      expect(await store.alerts.list()).toEqual([]);
      await store.close();
    });

    it('closing a store leaves a pool it was given open', async () => {
      const store = await createPostgresStore({ pool, schema: `${prefix}_pool` });
      await store.close();
      expect((await pool.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    });

    it('reads int8 counters and timestamps right through a pool with default type parsers', async () => {
      const store = await createPostgresStore({ pool, schema: `${prefix}_types` });
      const big = 5_000_000_000_123; // past 2^32 and 2^42: int8 in the table
      const at = new Date('2026-03-04T05:06:07.089Z');
      await store.usage.applySessionUpdate({
        session: {
          sessionId: 's',
          voucherId: 'v',
          inputBytes: big,
          outputBytes: big,
          sessionTime: 1,
          rawInputOctets: 1,
          rawOutputOctets: 1,
          inputWraps: 1164,
          outputWraps: 1164,
          startedAt: at,
          lastEventAt: at,
          version: 0,
        },
        expectedVersion: null,
        delta: { downloadBytes: big, uploadBytes: 1, onlineSeconds: 2 },
        day: '2026-03-04',
      });
      expect(await store.usage.getTotals('v')).toEqual({ downloadBytes: big, uploadBytes: 1, onlineSeconds: 2 });
      expect(await store.usage.dailyHistory(['v'], '2026-03-01', '2026-03-31')).toEqual([
        { day: '2026-03-04', downloadBytes: big, uploadBytes: 1, onlineSeconds: 2 },
      ]);
      const session = await store.usage.getSession('s');
      expect(session?.inputBytes).toBe(big);
      expect(session?.startedAt).toEqual(at);
      await store.close();
    });
  });
} else {
  describeWithoutPostgres('PostgreSQL migrations and pools', probe.reason);
}
