import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPostgresStore, createSqliteStore } from '@hotspot-kit/store-sql';
import Sqlite from 'better-sqlite3';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { postgresDdl, sqliteDdl } from '../src/migrations/ddl.js';
import { MIGRATIONS } from '../src/migrations/migrations.js';
import { describeWithoutPostgres, dropSchemas, probePostgres, runPrefix } from './postgres-env.js';

// A database made by the first release (devices only inside the voucher's JSON) gains the
// device index and the loose-code index when it is migrated: nothing bound before is missed.

const MAC = 'a4:83:e7:12:34:56';
const first = MIGRATIONS[0] as (typeof MIGRATIONS)[number];
const voucherValues = (devices: string) =>
  `('v-old', 'SUMMER-OLD1', 'p1', 'Day', '{"simultaneousDevices":2,"expiry":{"kind":"after-activation","seconds":60}}', 'active', ${devices}, 0`;

describe('migrating a first-release SQLite database', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hotspot-kit-backfill-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('indexes the devices and codes of existing vouchers', async () => {
    const filename = join(dir, 'old.db');
    const raw = new Sqlite(filename);
    for (const statement of first.statements(sqliteDdl)) raw.exec(statement);
    raw.exec(
      'CREATE TABLE hotspot_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)',
    );
    raw.exec(`INSERT INTO hotspot_migrations VALUES (1, 'initial schema', 0)`);
    const devices = `'[{"mac":"${MAC}","addedAt":"2026-01-01T00:00:00.000Z","addedBy":"login"}]'`;
    raw.exec(
      `INSERT INTO hotspot_vouchers (id, code, plan_id, plan_name, limits, state, devices, version, created_at) VALUES ${voucherValues(devices)}, 0)`,
    );
    raw.close();
    const store = await createSqliteStore({ filename });
    expect((await store.vouchers.listByDevice(MAC)).map((v) => v.id)).toEqual(['v-old']);
    expect((await store.vouchers.findByCodeKey('SUMMEROLD1')).map((v) => v.id)).toEqual(['v-old']);
    await store.close();
  });
});

const probe = await probePostgres();

if (probe.ok) {
  describe('migrating a first-release PostgreSQL schema', () => {
    const prefix = runPrefix('backfill');
    const pool = new pg.Pool({ connectionString: probe.connectionString, max: 2 });
    afterAll(async () => {
      await dropSchemas(pool, prefix);
      await pool.end();
    });

    it('indexes the devices and codes of existing vouchers', async () => {
      const schema = `${prefix}_old`;
      const ddl = postgresDdl(schema);
      await pool.query(`CREATE SCHEMA "${schema}"`);
      for (const statement of first.statements(ddl)) await pool.query(statement);
      await pool.query(
        `CREATE TABLE ${ddl.table('hotspot_migrations')} (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL)`,
      );
      await pool.query(`INSERT INTO ${ddl.table('hotspot_migrations')} VALUES (1, 'initial schema', now())`);
      const devices = `'[{"mac":"${MAC}","addedAt":"2026-01-01T00:00:00.000Z","addedBy":"login"}]'::jsonb`;
      await pool.query(
        `INSERT INTO ${ddl.table('hotspot_vouchers')} (id, code, plan_id, plan_name, limits, state, devices, version, created_at) VALUES ${voucherValues(devices)}, now())`,
      );
      const store = await createPostgresStore({ pool, schema });
      expect((await store.vouchers.listByDevice(MAC)).map((v) => v.id)).toEqual(['v-old']);
      expect((await store.vouchers.findByCodeKey('SUMMEROLD1')).map((v) => v.id)).toEqual(['v-old']);
      await store.close();
    });
  });
} else {
  describeWithoutPostgres('migrating a first-release PostgreSQL schema', probe.reason);
}
