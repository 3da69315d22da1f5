/** Column types and naming for one dialect, so that each migration is written once. */
export interface Ddl {
  readonly dialect: 'sqlite' | 'postgres';
  /** A table name, schema-qualified and quoted when a PostgreSQL schema is set. */
  table(name: string): string;
  /** Text; PostgreSQL compares it bytewise (`COLLATE "C"`), as SQLite and JavaScript do. */
  readonly text: string;
  readonly ts: string;
  readonly json: string;
  readonly bigint: string;
  readonly real: string;
}

/** Quotes an SQL identifier. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export const sqliteDdl: Ddl = {
  dialect: 'sqlite',
  table: (name) => name,
  text: 'TEXT',
  ts: 'INTEGER',
  json: 'TEXT',
  bigint: 'INTEGER',
  real: 'REAL',
};

export function postgresDdl(schema: string | undefined): Ddl {
  return {
    dialect: 'postgres',
    table: (name) => (schema ? `${quoteIdent(schema)}.${name}` : name),
    text: 'TEXT COLLATE "C"',
    ts: 'TIMESTAMPTZ',
    json: 'JSONB',
    bigint: 'BIGINT',
    real: 'DOUBLE PRECISION',
  };
}
