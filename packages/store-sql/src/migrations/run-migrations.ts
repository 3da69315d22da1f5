import { type Kysely, sql } from 'kysely';
import type { SqlCodec } from '../sql/codec.js';
import { readInt } from '../sql/codec.js';
import type { Ddl } from './ddl.js';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations.js';

/** What a migration run did. */
export interface MigrationResult {
  /** Versions applied by this run, oldest first (empty when the schema was up to date). */
  applied: number[];
  /** The schema version after the run. */
  version: number;
}

export interface RunMigrationsOptions {
  // biome-ignore lint/suspicious/noExplicitAny: the runner works on any Kysely instance.
  db: Kysely<any>;
  ddl: Ddl;
  codec: SqlCodec;
  /**
   * Runs first inside the migration transaction and must serialize concurrent runs (PostgreSQL:
   * an advisory lock; SQLite: the transaction is BEGIN IMMEDIATE already, so nothing to do).
   */
  // biome-ignore lint/suspicious/noExplicitAny: see above
  lock?: (trx: Kysely<any>) => Promise<void>;
  /** Extra statements run under the lock before anything else (e.g. `CREATE SCHEMA`). */
  prepare?: string[];
}

/**
 * Applies every pending migration in one transaction, serialized by `lock`, so two app
 * instances starting together against a new database both end up on the latest schema and
 * neither fails: the second waits, then finds nothing to do.
 */
export async function runMigrations({
  db,
  ddl,
  codec,
  lock,
  prepare = [],
}: RunMigrationsOptions): Promise<MigrationResult> {
  const table = ddl.table('hotspot_migrations');
  return db.transaction().execute(async (trx) => {
    if (lock) await lock(trx);
    for (const statement of prepare) await sql.raw(statement).execute(trx);
    await sql
      .raw(
        `CREATE TABLE IF NOT EXISTS ${table} (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at ${ddl.ts} NOT NULL)`,
      )
      .execute(trx);
    const { rows } = await sql.raw<{ version: unknown }>(`SELECT version FROM ${table}`).execute(trx);
    const done = new Set(rows.map((r) => readInt(r.version)));
    const applied: number[] = [];
    for (const migration of MIGRATIONS) {
      if (done.has(migration.version)) continue;
      for (const statement of migration.statements(ddl)) await sql.raw(statement).execute(trx);
      await sql`INSERT INTO ${sql.raw(table)} (version, name, applied_at) VALUES (${migration.version}, ${migration.name}, ${codec.time(new Date())})`.execute(
        trx,
      );
      applied.push(migration.version);
    }
    const version = Math.max(0, ...done, ...applied);
    return { applied, version };
  });
}

/** The schema version recorded in the database (0 when it was never migrated). */
// biome-ignore lint/suspicious/noExplicitAny: works on any Kysely instance.
export async function readSchemaVersion(db: Kysely<any>, ddl: Ddl): Promise<number> {
  try {
    const { rows } = await sql
      .raw<{ version: unknown }>(`SELECT MAX(version) AS version FROM ${ddl.table('hotspot_migrations')}`)
      .execute(db);
    return readInt(rows[0]?.version ?? 0);
  } catch {
    return 0;
  }
}

export { SCHEMA_VERSION };
