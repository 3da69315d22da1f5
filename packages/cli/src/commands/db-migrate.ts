import { isHotspotKitError } from '@hotspot-kit/core';
import { CliFailure, CliUsageError, EXIT_CODES } from '../cli-errors.js';
import type { Command } from '../command.js';
import { str } from '../command.js';
import { databaseTarget, describeTarget, migrateTarget } from '../database-url.js';
import { toJson } from '../format.js';

const NAME = 'db migrate';

/** `hotspot-kit db migrate`: brings a SQLite file or PostgreSQL database to the current schema. */
export const dbMigrateCommand: Command = {
  name: NAME,
  summary: 'create or upgrade the hotspot-kit tables in a SQLite file or a PostgreSQL database',
  details:
    'Stores also migrate when they open; this is for deploy steps that migrate first. Safe to run\n' +
    'again (nothing to do) and while app instances start (runs are serialized). A SQLite file is\n' +
    'created when missing. Exit code 1 when the database cannot be reached or a migration fails.',
  options: {
    db: {
      type: 'string',
      value: '<file|url>',
      description: 'SQLite file, or a postgres:// URL (default: $DATABASE_URL)',
    },
    schema: {
      type: 'string',
      value: '<name>',
      description: 'PostgreSQL schema for the tables (default: the current one)',
    },
    json: { type: 'boolean', description: 'Print the result as JSON' },
  },
  examples: [
    'hotspot-kit db migrate --db .data/hotspot.db',
    'hotspot-kit db migrate --db postgres://hotspot@127.0.0.1:5432/hotspot',
    'DATABASE_URL=postgres://... hotspot-kit db migrate',
  ],
  async run(values, io) {
    const value = str(values, 'db') ?? io.env.DATABASE_URL;
    if (!value) {
      throw new CliUsageError('--db is required (a SQLite file or a postgres:// URL), or set DATABASE_URL', {
        command: NAME,
      });
    }
    const target = databaseTarget(value, io.cwd);
    let result: { applied: number[]; version: number };
    try {
      const schema = str(values, 'schema');
      if (schema !== undefined && target.kind !== 'postgres') {
        throw new CliUsageError('--schema is for PostgreSQL only', { command: NAME });
      }
      result = await migrateTarget(target, schema !== undefined ? { schema } : {});
    } catch (error) {
      if (error instanceof CliUsageError) throw error;
      if (isHotspotKitError(error) && error.code === 'INVALID_CONFIG') {
        throw new CliUsageError(error.message, { issues: error.issues, command: NAME });
      }
      throw new CliFailure(`migrating ${describeTarget(target)} failed: ${(error as Error).message}`);
    }
    if (values.json) io.stdout(toJson({ database: describeTarget(target), ...result }));
    else {
      io.stdout(
        result.applied.length === 0
          ? `${describeTarget(target)} is up to date (schema version ${result.version})\n`
          : `${describeTarget(target)} migrated to schema version ${result.version} (applied ${result.applied.join(', ')})\n`,
      );
    }
    return EXIT_CODES.OK;
  },
};
