import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { HotspotStore } from '@hotspot-kit/core';
import type BetterSqlite3 from 'better-sqlite3';
import { Kysely, sql } from 'kysely';
import { createSqlStore } from '../create-sql-store.js';
import { sqliteDdl } from '../migrations/ddl.js';
import {
  type MigrationResult,
  readSchemaVersion,
  runMigrations,
  SCHEMA_VERSION,
} from '../migrations/run-migrations.js';
import { sqliteCodec } from '../sql/codec.js';
import type { Database } from '../sql/database.js';
import { checkPositiveInt, invalidOption, loadDriver, schemaBehind } from '../sql/options-error.js';
import { createSqliteDialect } from './sqlite-dialect.js';

/** Options of {@link createSqliteStore}. */
export interface SqliteStoreOptions {
  /** Path of the database file (created, with its folder, when missing), or `':memory:'` for a private in-memory database. */
  filename: string;
  /**
   * How long a write waits for another process holding the file's write lock before it fails
   * with `SQLITE_BUSY`, in milliseconds. Default 5000.
   */
  busyTimeoutMs?: number;
  /** Run pending migrations on open (default `true`). With `false` the store refuses to open a database that is behind. */
  migrate?: boolean;
}

/** Options of {@link migrateSqlite}. */
export interface MigrateSqliteOptions {
  filename: string;
  busyTimeoutMs?: number;
}

const FACTORY = 'createSqliteStore';

function checkOptions(factory: string, options: unknown): asserts options is SqliteStoreOptions {
  if (options === null || typeof options !== 'object') throw invalidOption(factory, 'options', 'must be an object');
  const { filename, busyTimeoutMs, migrate } = options as Record<string, unknown>;
  if (typeof filename !== 'string' || filename.length === 0) {
    throw invalidOption(factory, 'filename', "must be a file path or ':memory:'");
  }
  checkPositiveInt(factory, 'busyTimeoutMs', busyTimeoutMs);
  if (migrate !== undefined && typeof migrate !== 'boolean')
    throw invalidOption(factory, 'migrate', 'must be a boolean');
}

async function openDatabase(factory: string, options: SqliteStoreOptions): Promise<BetterSqlite3.Database> {
  // Loaded on first use, so PostgreSQL users never need the native module built.
  const { default: Sqlite } = await loadDriver('better-sqlite3', factory, () => import('better-sqlite3'));
  if (options.filename !== ':memory:' && !options.filename.startsWith('file:')) {
    mkdirSync(dirname(resolve(options.filename)), { recursive: true });
  }
  const db = new Sqlite(options.filename, { timeout: options.busyTimeoutMs ?? 5000 });
  try {
    if (options.filename !== ':memory:') {
      // WAL: readers never block the writer (and vice versa) and commits are cheap.
      db.pragma('journal_mode = WAL');
    }
    // Durable against crashes of the process; a power loss may drop the last commits (WAL).
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    // Query-planner statistics, as SQLite recommends for long-lived connections: bounded
    // sampling on open (cheap on a big file), refreshed by `PRAGMA optimize` on close.
    db.pragma('analysis_limit = 1000');
    db.pragma('optimize = 0x10002');
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

function migrateOpen(db: Kysely<Database>): Promise<MigrationResult> {
  // The SQLite dialect opens transactions with BEGIN IMMEDIATE, which is the lock.
  return runMigrations({ db, ddl: sqliteDdl, codec: sqliteCodec });
}

/**
 * The embedded store: one SQLite file (WAL mode) through better-sqlite3, migrated on open.
 * Several processes may share the file; every atomic primitive is one statement or a
 * `BEGIN IMMEDIATE` transaction, so limits and single-use guarantees hold across them.
 *
 * @example
 * ```ts
 * import { createHotspotKit } from '@hotspot-kit/core'
 * import { createSqliteStore } from '@hotspot-kit/store-sql'
 *
 * const store = await createSqliteStore({ filename: './hotspot.db' })
 * const kit = createHotspotKit({ store, secret: process.env.HOTSPOT_SECRET! })
 * ```
 */
export async function createSqliteStore(options: SqliteStoreOptions): Promise<HotspotStore> {
  checkOptions(FACTORY, options);
  const sqlite = await openDatabase(FACTORY, options);
  const db = new Kysely<Database>({ dialect: createSqliteDialect(sqlite) });
  try {
    if (options.migrate === false) {
      const version = await readSchemaVersion(db, sqliteDdl);
      if (version < SCHEMA_VERSION) throw schemaBehind(FACTORY, version, SCHEMA_VERSION);
    } else {
      await migrateOpen(db);
    }
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return createSqlStore({ db, codec: sqliteCodec, ddl: sqliteDdl }, async () => {
    try {
      // Through Kysely, so it waits for a transaction still running on the connection.
      await sql`PRAGMA optimize`.execute(db);
    } finally {
      await db.destroy();
    }
  });
}

/**
 * Applies pending migrations to a SQLite file and closes it, for operators who migrate in a
 * deploy step (then open stores with `migrate: false`). Safe to run while the app runs and
 * when several run at once.
 *
 * @example
 * ```ts
 * const { applied, version } = await migrateSqlite({ filename: './hotspot.db' })
 * ```
 */
export async function migrateSqlite(options: MigrateSqliteOptions): Promise<MigrationResult> {
  checkOptions('migrateSqlite', options);
  const sqlite = await openDatabase('migrateSqlite', options);
  const db = new Kysely<Database>({ dialect: createSqliteDialect(sqlite) });
  try {
    return await migrateOpen(db);
  } finally {
    await db.destroy();
  }
}
