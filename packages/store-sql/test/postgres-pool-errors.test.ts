import type { Logger } from '@hotspot-kit/core';
import { createPostgresStore } from '@hotspot-kit/store-sql';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { describeWithoutPostgres, dropSchemas, probePostgres, runPrefix } from './postgres-env.js';

const probe = await probePostgres();

function capturingLogger(): Logger & { errors: { message: string; fields?: Record<string, unknown> }[] } {
  const errors: { message: string; fields?: Record<string, unknown> }[] = [];
  return { errors, debug() {}, info() {}, warn() {}, error: (message, fields) => errors.push({ message, fields }) };
}

if (probe.ok) {
  const prefix = runPrefix('poolerr');
  const admin = new pg.Pool({ connectionString: probe.connectionString, max: 1 });
  afterAll(async () => {
    await dropSchemas(admin, prefix);
    await admin.end();
  });

  describe('PostgreSQL pool errors', () => {
    it('an idle connection that dies is reported through the logger option, not swallowed', async () => {
      const application = `${prefix}_app`;
      const url = new URL(probe.connectionString);
      url.searchParams.set('application_name', application);
      const logger = capturingLogger();
      const store = await createPostgresStore({
        connectionString: url.toString(),
        schema: `${prefix}_1`,
        poolSize: 1,
        logger,
      });
      try {
        expect(await store.customers.get('warm-up')).toBeNull(); // leaves one idle connection
        const { rowCount } = await admin.query(
          'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1',
          [application],
        );
        expect(rowCount).toBeGreaterThan(0);
        await expect.poll(() => logger.errors.length, { timeout: 10_000 }).toBeGreaterThan(0);
        expect(logger.errors[0]?.message).toMatch(/idle connection failed/);
        expect(JSON.stringify(logger.errors)).not.toContain(url.password || '\u0000');
        // The pool replaces the connection: the store keeps working.
        expect(await store.customers.get('after')).toBeNull();
      } finally {
        await store.close();
      }
    });

    it('refuses a logger next to a pool of the host, and a logger that is not one', async () => {
      await expect(createPostgresStore({ pool: admin, logger: capturingLogger() } as never)).rejects.toThrow(/logger/);
      await expect(
        createPostgresStore({ connectionString: probe.connectionString, logger: {} as Logger }),
      ).rejects.toThrow(/logger must be a Logger/);
    });
  });
} else {
  describeWithoutPostgres('PostgreSQL pool errors', probe.reason);
}
