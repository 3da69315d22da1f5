import { type RawBuilder, sql } from 'kysely';

/**
 * What differs between the two dialects when values cross the driver: how a timestamp, a JSON
 * document and a list of ids are bound, and how a unique violation looks. Everything else is
 * one implementation.
 */
export interface SqlCodec {
  readonly dialect: 'sqlite' | 'postgres';
  /** A `Date` as the driver binds it (SQLite: epoch milliseconds; PostgreSQL: the `Date`). */
  time(value: Date): number | Date;
  /** `null` for `undefined`. */
  optTime(value: Date | undefined): number | Date | null;
  /** A JSON document as the driver binds it (text in both; PostgreSQL casts it to `jsonb`). */
  json(value: unknown): string;
  /**
   * `column` is one of `ids`, with the whole list bound as ONE parameter (see {@link idList}):
   * SQLite `IN (SELECT value FROM json_each(?))`, PostgreSQL `= ANY(?::text[])`. The statement
   * text is the same for any number of ids, so it is compiled once and never hits a driver's
   * bound-parameter limit; both planners probe the column's index once per id.
   */
  inList(column: string, ids: unknown): RawBuilder<boolean>;
  /** The parameter value {@link inList} expects for `ids`. */
  idList(ids: readonly string[]): unknown;
  /** Whether `error` is the driver's unique-constraint violation. */
  isUniqueViolation(error: unknown): boolean;
}

/** The SQLite codec: timestamps as epoch milliseconds in `INTEGER` columns. */
export const sqliteCodec: SqlCodec = {
  dialect: 'sqlite',
  time: (value) => value.getTime(),
  optTime: (value) => (value === undefined ? null : value.getTime()),
  json: (value) => JSON.stringify(value),
  inList: (column, ids) => sql<boolean>`${sql.ref(column)} IN (SELECT value FROM json_each(${ids}))`,
  idList: (ids) => JSON.stringify(ids),
  isUniqueViolation: (error) => {
    const code = (error as { code?: unknown } | null)?.code;
    return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
  },
};

/** The PostgreSQL codec: `timestamptz` and `jsonb`. */
export const postgresCodec: SqlCodec = {
  dialect: 'postgres',
  time: (value) => new Date(value.getTime()),
  optTime: (value) => (value === undefined ? null : new Date(value.getTime())),
  json: (value) => JSON.stringify(value),
  inList: (column, ids) => sql<boolean>`${sql.ref(column)} = ANY(${ids}::text[])`,
  idList: (ids) => [...ids],
  isUniqueViolation: (error) => (error as { code?: unknown } | null)?.code === '23505',
};

/** Reads a timestamp from either dialect (a `Date`, epoch ms as number, bigint or string, or an ISO string). */
export function readTime(value: unknown): Date {
  if (value instanceof Date) return new Date(value.getTime());
  if (typeof value === 'number') return new Date(value);
  if (typeof value === 'bigint') return new Date(Number(value));
  if (typeof value === 'string') {
    return /^-?\d+$/.test(value) ? new Date(Number(value)) : new Date(value);
  }
  throw new TypeError(`not a timestamp: ${String(value)}`);
}

/** {@link readTime}, `undefined` for SQL `NULL`. */
export function readOptTime(value: unknown): Date | undefined {
  return value === null || value === undefined ? undefined : readTime(value);
}

/** Reads an integer column (PostgreSQL returns `int8` and `numeric` as strings by default). */
export function readInt(value: unknown): number {
  if (typeof value === 'number') return value;
  if (value === null || value === undefined) return 0;
  return Number(value);
}

/** Reads a JSON column: PostgreSQL's `pg` parses `jsonb` already, SQLite returns text. */
export function readJson<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

/** `undefined` for SQL `NULL`, so optional fields are left out rather than set to `undefined`. */
export function opt<T>(value: T | null | undefined): T | undefined {
  return value === null ? undefined : value;
}

/** Copies `source` with every `undefined` field left out (records come back with only the keys they have). */
export function compact<T extends object>(source: T): T {
  const out = {} as T;
  for (const key of Object.keys(source) as (keyof T)[]) {
    if (source[key] !== undefined) out[key] = source[key];
  }
  return out;
}
