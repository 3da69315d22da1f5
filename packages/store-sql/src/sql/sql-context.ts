import type { Kysely } from 'kysely';
import type { SqlCodec } from './codec.js';
import type { Database } from './database.js';

/** What every repository of the SQL store is built from. Internal. */
export interface SqlContext {
  readonly db: Kysely<Database>;
  readonly codec: SqlCodec;
}
