import pg from 'pg';
import { describe, it } from 'vitest';

/**
 * Where the PostgreSQL tests connect: `PG_URL` or `DATABASE_URL`, else the project machines'
 * server (127.0.0.1:5432, trust auth, database `test`) as `postgres`, then as `root`.
 */
const candidates = process.env.PG_URL
  ? [process.env.PG_URL]
  : process.env.DATABASE_URL
    ? [process.env.DATABASE_URL]
    : ['postgres://postgres@127.0.0.1:5432/test', 'postgres://root@127.0.0.1:5432/test'];

export type PostgresProbe = { ok: true; connectionString: string } | { ok: false; reason: string };

/** Finds a PostgreSQL server that answers, or says why none does. */
export async function probePostgres(): Promise<PostgresProbe> {
  let reason = 'no connection string';
  for (const connectionString of candidates) {
    const client = new pg.Client({ connectionString, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return { ok: true, connectionString };
    } catch (error) {
      reason = `${connectionString.replace(/:[^:@/]*@/, ':***@')}: ${(error as Error).message}`;
    } finally {
      await client.end().catch(() => {});
    }
  }
  return { ok: false, reason };
}

/** A schema-name prefix unique to this test run, so concurrent runs never collide. */
export function runPrefix(label: string): string {
  return `hk_test_${label}_${process.pid}_${Date.now().toString(36)}`;
}

/** Drops every schema whose name starts with `prefix` (the run's own schemas). */
export async function dropSchemas(pool: pg.Pool, prefix: string): Promise<void> {
  const { rows } = await pool.query<{ nspname: string }>(
    'SELECT nspname FROM pg_namespace WHERE starts_with(nspname, $1)',
    [prefix],
  );
  for (const { nspname } of rows) {
    await pool.query(`DROP SCHEMA "${nspname.replaceAll('"', '""')}" CASCADE`);
  }
}

/**
 * What stands in for a PostgreSQL suite when PostgreSQL is unreachable: in CI a failing test (CI
 * must never skip quietly; .ci/run starts PostgreSQL), elsewhere a skipped suite whose title says why.
 */
export function describeWithoutPostgres(title: string, reason: string): void {
  if (process.env.CI) {
    describe(title, () => {
      it('needs PostgreSQL on 127.0.0.1:5432 in CI', () => {
        throw new Error(`PostgreSQL is unreachable (${reason}); .ci/run starts it`);
      });
    });
    return;
  }
  describe.skip(`${title} (skipped: PostgreSQL unreachable, ${reason})`, () => {
    it('needs PostgreSQL', () => {});
  });
}
