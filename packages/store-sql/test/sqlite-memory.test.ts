import { runStoreConformance } from '@hotspot-kit/core/testing';
import { createSqliteStore } from '@hotspot-kit/store-sql';

runStoreConformance('SQLite in memory', () => createSqliteStore({ filename: ':memory:' }));
