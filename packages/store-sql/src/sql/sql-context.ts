import type { Kysely } from 'kysely';
import type { Ddl } from '../migrations/ddl.js';
import type { SqlCodec } from './codec.js';
import type { Database } from './database.js';

/** What every repository of the SQL store is built from. Internal. */
export interface SqlContext {
  readonly db: Kysely<Database>;
  readonly codec: SqlCodec;
  /** Table names for hand-written SQL (schema-qualified in PostgreSQL when the store has a schema). */
  readonly ddl: Ddl;
}
