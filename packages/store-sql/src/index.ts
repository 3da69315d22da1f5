// @hotspot-kit/store-sql: the SQLite and PostgreSQL stores. Everything exported here is public API.

export { SCHEMA_VERSION } from './migrations/migrations.js';
export type { MigrationResult } from './migrations/run-migrations.js';
export {
  createPostgresStore,
  type MigratePostgresOptions,
  migratePostgres,
  type PostgresConnectionOptions,
  type PostgresStoreOptions,
} from './postgres/create-postgres-store.js';
export {
  createSqliteStore,
  type MigrateSqliteOptions,
  migrateSqlite,
  type SqliteStoreOptions,
} from './sqlite/create-sqlite-store.js';
