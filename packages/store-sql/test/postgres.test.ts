import { runStoreConformance } from '@hotspot-kit/core/testing';
import { createPostgresStore } from '@hotspot-kit/store-sql';
import pg from 'pg';
import { afterAll, describe, it } from 'vitest';
import { dropSchemas, probePostgres, runPrefix } from './postgres-env.js';

const probe = await probePostgres();

if (probe.ok) {
  // Every store gets a fresh schema of its own (created by the migrations), on one shared pool.
  const prefix = runPrefix('conf');
  const pool = new pg.Pool({ connectionString: probe.connectionString, max: 8 });
  let n = 0;
  afterAll(async () => {
    await dropSchemas(pool, prefix);
    await pool.end();
  });
  runStoreConformance('PostgreSQL', () => {
    n += 1;
    return createPostgresStore({ pool, schema: `${prefix}_${n}` });
  });
} else if (process.env.CI) {
  describe('PostgreSQL store conformance', () => {
    it('needs PostgreSQL on 127.0.0.1:5432 in CI', () => {
      throw new Error(`PostgreSQL is unreachable (${probe.reason}); .ci/run starts it`);
    });
  });
} else {
  describe.skip(`PostgreSQL store conformance (skipped: PostgreSQL unreachable, ${probe.reason})`, () => {
    it('runs the conformance suite on PostgreSQL', () => {});
  });
}
