import type BetterSqlite3 from 'better-sqlite3';
import {
  CompiledQuery,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from 'kysely';

// Kysely's own SQLite driver prepares every statement again and opens transactions with a
// plain BEGIN. This one caches prepared statements (the store runs a small, fixed set of
// queries), reads rows as arrays and names them itself (cheaper), and opens every
// transaction with BEGIN IMMEDIATE: it takes the write lock up front, so two processes sharing a file queue on `busy_timeout` instead of failing with
// SQLITE_BUSY when a read transaction tries to become a write transaction.

const STATEMENT_CACHE_LIMIT = 500;

/** A prepared statement; a reader answers arrays (raw mode) that `columns` names. */
interface Prepared {
  statement: BetterSqlite3.Statement;
  columns: string[] | null;
}

/** Row objects from raw arrays: about a third cheaper than better-sqlite3 making them, for wide rows. */
function toObjects(rows: unknown[][], columns: string[]): Record<string, unknown>[] {
  const out = new Array<Record<string, unknown>>(rows.length);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r] as unknown[];
    const o: Record<string, unknown> = {};
    for (let c = 0; c < columns.length; c++) o[columns[c] as string] = row[c];
    out[r] = o;
  }
  return out;
}

class SqliteConnection implements DatabaseConnection {
  readonly #db: BetterSqlite3.Database;
  readonly #statements = new Map<string, Prepared>();

  constructor(db: BetterSqlite3.Database) {
    this.#db = db;
  }

  #prepare(sql: string): Prepared {
    let prepared = this.#statements.get(sql);
    if (prepared === undefined) {
      const statement = this.#db.prepare(sql);
      const columns = statement.reader
        ? statement
            .raw(true)
            .columns()
            .map((c) => c.name)
        : null;
      prepared = { statement, columns };
      // Statements with `IN (?, ?, ...)` lists vary in length; a bounded cache keeps memory flat.
      if (this.#statements.size >= STATEMENT_CACHE_LIMIT) this.#statements.clear();
      this.#statements.set(sql, prepared);
    }
    return prepared;
  }

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const { statement, columns } = this.#prepare(compiledQuery.sql);
    const parameters = compiledQuery.parameters as unknown[];
    if (columns) return { rows: toObjects(statement.all(parameters) as unknown[][], columns) as R[] };
    const { changes, lastInsertRowid } = statement.run(parameters);
    return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
  }

  // biome-ignore lint/correctness/useYield: streaming is not used by the store.
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streaming is not supported by the hotspot-kit SQLite driver');
  }
}

/** Serializes use of the one SQLite connection (a transaction holds it until it ends). */
class Mutex {
  #tail: Promise<void> = Promise.resolve();

  async lock(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((resolve) => {
      release = resolve;
    });
    const previous = this.#tail;
    this.#tail = previous.then(() => next);
    await previous;
    return release;
  }
}

class SqliteStoreDriver implements Driver {
  readonly #db: BetterSqlite3.Database;
  readonly #connection: SqliteConnection;
  readonly #mutex = new Mutex();
  #release: (() => void) | undefined;

  constructor(db: BetterSqlite3.Database) {
    this.#db = db;
    this.#connection = new SqliteConnection(db);
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    this.#release = await this.#mutex.lock();
    return this.#connection;
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('BEGIN IMMEDIATE'));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('COMMIT'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('ROLLBACK'));
  }

  async releaseConnection(): Promise<void> {
    const release = this.#release;
    this.#release = undefined;
    release?.();
  }

  async destroy(): Promise<void> {
    if (this.#db.open) this.#db.close();
  }
}

/** A Kysely dialect over one better-sqlite3 database (statement cache, BEGIN IMMEDIATE). */
export function createSqliteDialect(db: BetterSqlite3.Database): Dialect {
  return {
    createAdapter: (): DialectAdapter => new SqliteAdapter(),
    createDriver: (): Driver => new SqliteStoreDriver(db),
    createQueryCompiler: (): QueryCompiler => new SqliteQueryCompiler(),
    createIntrospector: (kysely: Kysely<unknown>): DatabaseIntrospector => new SqliteIntrospector(kysely),
  };
}
