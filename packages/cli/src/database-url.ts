import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { HotspotStore } from '@hotspot-kit/core';
import {
  createPostgresStore,
  createSqliteStore,
  type MigrationResult,
  migratePostgres,
  migrateSqlite,
} from '@hotspot-kit/store-sql';

/** What `--db` names: a PostgreSQL URL or a SQLite file. */
export type DatabaseTarget = { kind: 'postgres'; connectionString: string } | { kind: 'sqlite'; filename: string };

/** `postgres://` / `postgresql://` URLs are PostgreSQL; anything else is a SQLite file (relative to `cwd`). */
export function databaseTarget(value: string, cwd: string): DatabaseTarget {
  if (/^postgres(ql)?:\/\//i.test(value)) return { kind: 'postgres', connectionString: value };
  return { kind: 'sqlite', filename: value === ':memory:' ? value : resolve(cwd, value) };
}

/** A password-free description of the target, for messages. */
export function describeTarget(target: DatabaseTarget): string {
  if (target.kind === 'sqlite') return `SQLite ${target.filename}`;
  try {
    const url = new URL(target.connectionString);
    url.password = url.password ? '****' : '';
    return `PostgreSQL ${url.toString()}`;
  } catch {
    return 'PostgreSQL (unparsable URL)';
  }
}

/** A new SQLite file may live in a folder that does not exist yet (e.g. `.data/`). */
function ensureFolder(target: DatabaseTarget): void {
  if (target.kind === 'sqlite' && target.filename !== ':memory:') {
    mkdirSync(dirname(target.filename), { recursive: true });
  }
}

/** Opens the store (its migrations run on open). */
export function openStore(target: DatabaseTarget): Promise<HotspotStore> {
  ensureFolder(target);
  return target.kind === 'postgres'
    ? createPostgresStore({ connectionString: target.connectionString })
    : createSqliteStore({ filename: target.filename });
}

/**
 * Applies pending migrations (store-sql's `migrateSqlite` / `migratePostgres`) and reports
 * what was applied; safe to run while app instances start or run.
 */
export async function migrateTarget(
  target: DatabaseTarget,
  options: { schema?: string } = {},
): Promise<MigrationResult> {
  ensureFolder(target);
  return target.kind === 'postgres'
    ? migratePostgres({
        connectionString: target.connectionString,
        ...(options.schema ? { schema: options.schema } : {}),
      })
    : migrateSqlite({ filename: target.filename });
}
