import type { HotspotStore, Logger } from '@hotspot-kit/core';
import { Kysely, PostgresDialect, type PostgresPool, sql, WithSchemaPlugin } from 'kysely';
import { createSqlStore } from '../create-sql-store.js';
import { postgresDdl, quoteIdent } from '../migrations/ddl.js';
import {
  type MigrationResult,
  readSchemaVersion,
  runMigrations,
  SCHEMA_VERSION,
} from '../migrations/run-migrations.js';
import { postgresCodec } from '../sql/codec.js';
import type { Database } from '../sql/database.js';
import { checkPositiveInt, invalidOption, loadDriver, schemaBehind } from '../sql/options-error.js';

/** Where the PostgreSQL store connects: a connection string (the store owns its pool) or your `pg` pool. */
export type PostgresConnectionOptions =
  | {
      /** e.g. `postgres://app@db.internal:5432/hotspot`. The store makes and closes its own pool. */
      connectionString: string;
      /** Connections of the store's pool (default 10). See docs/scaling-postgres.md for sizing. */
      poolSize?: number;
      /**
       * Where errors of the store's pool go (an idle connection dropped by a server restart or
       * a network cut: the pool replaces it on the next query). Default: one line on
       * `console.error`; pass the kit's logger, or `silentLogger` to drop them.
       */
      logger?: Logger;
      pool?: undefined;
    }
  | {
      /** A `pg` `Pool` you own; `store.close()` leaves it open, and its `error` events are yours to handle. */
      pool: PostgresPool;
      connectionString?: undefined;
      poolSize?: undefined;
      logger?: undefined;
    };

/** Options of {@link createPostgresStore}. */
export type PostgresStoreOptions = PostgresConnectionOptions & {
  /**
   * The schema holding the store's tables (created by the migrations when missing). Default:
   * the connection's current schema (usually `public`). Every table name starts with `hotspot_`.
   */
  schema?: string;
  /**
   * Run pending migrations on open (default `true`). Set `false` when migrations run in a
   * deploy step (`migratePostgres`, `hotspot-kit db migrate`); the store then refuses to open
   * a database that is behind.
   */
  migrate?: boolean;
};

/** Options of {@link migratePostgres}. */
export type MigratePostgresOptions = PostgresConnectionOptions & { schema?: string };

interface PgModule {
  Pool: new (
    config: Record<string, unknown>,
  ) => PostgresPool & { on(event: 'error', listener: (error: Error) => void): unknown };
  types: { getTypeParser(oid: number, format?: string): (value: string) => unknown };
}

const INT8_OID = 20;

function checkOptions(factory: string, options: unknown): asserts options is PostgresStoreOptions {
  if (options === null || typeof options !== 'object') throw invalidOption(factory, 'options', 'must be an object');
  const o = options as Record<string, unknown>;
  if (o.pool !== undefined && o.connectionString !== undefined) {
    throw invalidOption(factory, 'pool', 'and connectionString are exclusive: pass one of them');
  }
  if (o.pool !== undefined) {
    const pool = o.pool as { connect?: unknown } | null;
    if (pool === null || typeof pool !== 'object' || typeof pool.connect !== 'function') {
      throw invalidOption(factory, 'pool', 'must be a pg Pool');
    }
  } else if (typeof o.connectionString !== 'string' || o.connectionString.length === 0) {
    throw invalidOption(factory, 'connectionString', 'must be a PostgreSQL connection string (or pass `pool`)');
  }
  checkPositiveInt(factory, 'poolSize', o.poolSize);
  if (o.logger !== undefined) {
    const logger = o.logger as { error?: unknown } | null;
    if (o.pool !== undefined) {
      throw invalidOption(factory, 'logger', "is for the store's own pool: handle your pool's errors yourself");
    }
    if (logger === null || typeof logger !== 'object' || typeof logger.error !== 'function') {
      throw invalidOption(factory, 'logger', 'must be a Logger (debug, info, warn and error methods)');
    }
  }
  if (o.schema !== undefined && (typeof o.schema !== 'string' || o.schema.length === 0 || o.schema.length > 63)) {
    throw invalidOption(factory, 'schema', 'must be a schema name of 1 to 63 characters');
  }
  if (o.migrate !== undefined && typeof o.migrate !== 'boolean') {
    throw invalidOption(factory, 'migrate', 'must be a boolean');
  }
}

async function openPool(factory: string, options: PostgresConnectionOptions): Promise<{ pool: PostgresPool }> {
  if (options.pool !== undefined) {
    // The host owns this pool: closing the store must not end it.
    const pool = options.pool;
    return { pool: { connect: () => pool.connect(), end: async () => {} } };
  }
  // Loaded on first use, so SQLite users never need `pg`.
  const imported = await loadDriver('pg', factory, () => import('pg'));
  const pg = ((imported as { default?: PgModule }).default ?? imported) as PgModule;
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.poolSize ?? 10,
    // Counters are int8 columns: read them as numbers (byte counts stay far below 2^53).
    types: {
      getTypeParser: (oid: number, format?: string) =>
        oid === INT8_OID && format !== 'binary' ? Number : pg.types.getTypeParser(oid, format),
    },
  });
  // An idle connection that dies (server restart) is dropped by the pool and replaced on the
  // next query; without a listener `pg` would crash the process, so the listener reports it.
  const logger = options.logger ?? consoleLogger;
  pool.on('error', (error) => {
    const code = (error as { code?: unknown } | null)?.code;
    logger.error('postgres: an idle connection failed; the pool replaces it on the next query', {
      error: withoutCredentials(error?.message ?? String(error)),
      ...(typeof code === 'string' ? { code } : {}),
    });
  });
  return { pool };
}

/** The default pool-error report: one line, never a connection string's password. */
const consoleLogger: Pick<Logger, 'error'> = {
  error(message, fields) {
    console.error(`[hotspot-kit/store-sql] ${message}${fields ? ` ${JSON.stringify(fields)}` : ''}`);
  },
};

function withoutCredentials(text: string): string {
  return text.replace(/\/\/[^@/\s]*@/g, '//***@');
}

function makeKysely(pool: PostgresPool, schema: string | undefined): Kysely<Database> {
  return new Kysely<Database>({
    dialect: new PostgresDialect({ pool }),
    plugins: schema === undefined ? [] : [new WithSchemaPlugin(schema)],
  });
}

function migrateOpen(db: Kysely<Database>, schema: string | undefined): Promise<MigrationResult> {
  return runMigrations({
    db,
    ddl: postgresDdl(schema),
    codec: postgresCodec,
    // A transaction-scoped advisory lock per schema: instances starting together take turns,
    // and the lock is released by COMMIT or by a dropped connection.
    lock: async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(hashtext(${'hotspot-kit:migrate:'} || COALESCE(${schema ?? null}::text, current_schema())))`.execute(
        trx,
      );
    },
    prepare: schema === undefined ? [] : [`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`],
  });
}

/**
 * The store for several app instances: PostgreSQL through `pg`, migrated on open (under an
 * advisory lock, so instances may start together). Every atomic primitive is one statement
 * or a short READ COMMITTED transaction whose writes are guarded row updates, so limits and
 * single-use guarantees hold across instances and machines.
 *
 * @example
 * ```ts
 * import { createPostgresStore } from '@hotspot-kit/store-sql'
 *
 * const store = await createPostgresStore({ connectionString: process.env.DATABASE_URL! })
 * // or with your own pool, in its own schema, migrated by the deploy step:
 * const store2 = await createPostgresStore({ pool, schema: 'hotspot', migrate: false })
 * ```
 */
export async function createPostgresStore(options: PostgresStoreOptions): Promise<HotspotStore> {
  const factory = 'createPostgresStore';
  checkOptions(factory, options);
  const { pool } = await openPool(factory, options);
  const db = makeKysely(pool, options.schema);
  try {
    if (options.migrate === false) {
      const version = await readSchemaVersion(db, postgresDdl(options.schema));
      if (version < SCHEMA_VERSION) throw schemaBehind(factory, version, SCHEMA_VERSION);
    } else {
      await migrateOpen(db, options.schema);
    }
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return createSqlStore({ db, codec: postgresCodec, ddl: postgresDdl(options.schema) }, () => db.destroy());
}

/**
 * Applies pending migrations to a PostgreSQL database (or one schema of it) and disconnects,
 * for operators who migrate in a deploy step; open the stores with `migrate: false` then.
 * Safe when several run at once and while old app instances keep running.
 *
 * @example
 * ```ts
 * const { applied, version } = await migratePostgres({ connectionString: process.env.DATABASE_URL! })
 * console.log(applied.length ? `applied ${applied.join(', ')}` : `up to date (v${version})`)
 * ```
 */
export async function migratePostgres(options: MigratePostgresOptions): Promise<MigrationResult> {
  const factory = 'migratePostgres';
  checkOptions(factory, options);
  const { pool } = await openPool(factory, { ...options, poolSize: 1 } as PostgresConnectionOptions);
  const db = makeKysely(pool, options.schema);
  try {
    return await migrateOpen(db, options.schema);
  } finally {
    await db.destroy();
  }
}
