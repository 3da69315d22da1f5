import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { refusedPort } from '@hotspot-kit/sms/testing';
import { createSqliteStore } from '@hotspot-kit/store-sql';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, tempDir } from './helpers.js';

const tmp = tempDir();
afterAll(() => tmp.remove());

describe('hotspot-kit db migrate (SQLite)', () => {
  it('creates a missing file, migrates it, and is a no-op the second time', async () => {
    const db = join(tmp.dir, 'sub', 'hotspot.db');
    const first = await cli(['db', 'migrate', '--db', 'sub/hotspot.db'], tmp.dir);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/migrated to schema version \d+ \(applied 1/);
    expect(existsSync(db)).toBe(true);
    const again = await cli(['db', 'migrate', '--db', db, '--json']);
    expect(again.code).toBe(0);
    const result = JSON.parse(again.stdout) as { applied: number[]; version: number; database: string };
    expect(result.applied).toEqual([]);
    expect(result.version).toBeGreaterThan(0);
    expect(result.database).toBe(`SQLite ${db}`);
    // A store opened with migrate: false accepts the migrated file.
    const store = await createSqliteStore({ filename: db, migrate: false });
    await store.close();
  });

  it('takes DATABASE_URL when --db is absent', async () => {
    const db = join(tmp.dir, 'env.db');
    const { code } = await cli(['db', 'migrate'], tmp.dir, { DATABASE_URL: db });
    expect(code).toBe(0);
    expect(existsSync(db)).toBe(true);
  });

  it('without --db or DATABASE_URL it is a usage error (exit 2)', async () => {
    const { code, stderr } = await cli(['db', 'migrate'], tmp.dir, {});
    expect(code).toBe(2);
    expect(stderr).toContain('--db is required');
  });

  it('--schema is refused for SQLite', async () => {
    const { code, stderr } = await cli(['db', 'migrate', '--db', join(tmp.dir, 's.db'), '--schema', 'x']);
    expect(code).toBe(2);
    expect(stderr).toContain('--schema is for PostgreSQL only');
  });

  it('a path that cannot be a database file fails with exit 1', async () => {
    const { code, stderr } = await cli(['db', 'migrate', '--db', tmp.dir]);
    expect(code).toBe(1);
    expect(stderr).toContain(`migrating SQLite ${tmp.dir} failed`);
  });
});

describe('hotspot-kit db migrate (PostgreSQL)', () => {
  const url = process.env.PG_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const schema = `hk_cli_test_${process.pid}_${Date.now().toString(36)}`;
  let reachable: string | true = true;
  let pool: pg.Pool | undefined;

  beforeAll(async () => {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      pool = new pg.Pool({ connectionString: url, max: 1 });
    } catch (error) {
      reachable = (error as Error).message;
    } finally {
      await client.end().catch(() => {});
    }
  });
  afterAll(async () => {
    await pool?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool?.end();
  });

  it('migrates a schema and reports nothing to do the second time', async (ctx) => {
    if (reachable !== true) {
      if (process.env.CI) throw new Error(`PostgreSQL is required in CI: ${reachable}`);
      ctx.skip(`PostgreSQL not reachable (${reachable})`);
    }
    const first = await cli(['db', 'migrate', '--db', url, '--schema', schema]);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^PostgreSQL postgres:\/\/.* migrated to schema version \d+/);
    const { rows } = await (pool as pg.Pool).query(
      'SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = $1',
      [schema],
    );
    expect((rows[0] as { n: number }).n).toBeGreaterThan(5);
    const again = await cli(['db', 'migrate', '--db', url, '--schema', schema]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('is up to date');
  });

  it('an unreachable server fails with exit 1 and hides the password', async () => {
    const port = await refusedPort();
    const { code, stderr } = await cli([
      'db',
      'migrate',
      '--db',
      `postgres://hotspot:s3cret-pw@127.0.0.1:${port}/nope`,
    ]);
    expect(code).toBe(1);
    expect(stderr).toContain('migrating PostgreSQL postgres://hotspot:****@127.0.0.1');
    expect(stderr).not.toContain('s3cret-pw');
  });
});
