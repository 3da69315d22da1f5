import { runStoreConformance } from '@hotspot-kit/core/testing';
import { createPostgresStore } from '@hotspot-kit/store-sql';
import pg from 'pg';
import { afterAll } from 'vitest';
import { describeWithoutPostgres, dropSchemas, probePostgres, runPrefix } from './postgres-env.js';

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
} else {
  describeWithoutPostgres('PostgreSQL store conformance', probe.reason);
}
