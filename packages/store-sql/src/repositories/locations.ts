import type { Location, LocationBranding, LocationRepository } from '@hotspot-kit/core';
import type { Selectable } from 'kysely';
import { compact, opt, readJson, readTime } from '../sql/codec.js';
import type { LocationsTable } from '../sql/database.js';
import type { SqlContext } from '../sql/sql-context.js';

function toLocation(row: Selectable<LocationsTable>): Location {
  return compact({
    id: row.id,
    name: row.name,
    timezone: row.timezone,
    senderId: opt(row.sender_id),
    branding: row.branding === null ? undefined : readJson<LocationBranding>(row.branding),
    locale: opt(row.locale),
    createdAt: readTime(row.created_at),
  });
}

/** Locations in `hotspot_locations`. */
export function createSqlLocationsRepository({ db, codec }: SqlContext): LocationRepository {
  return {
    async upsert(location) {
      const row = {
        id: location.id,
        name: location.name,
        timezone: location.timezone,
        sender_id: location.senderId ?? null,
        branding: location.branding === undefined ? null : codec.json(location.branding),
        locale: location.locale ?? null,
        created_at: codec.time(location.createdAt),
      };
      await db
        .insertInto('hotspot_locations')
        .values(row)
        .onConflict((oc) =>
          oc.column('id').doUpdateSet({
            name: row.name,
            timezone: row.timezone,
            sender_id: row.sender_id,
            branding: row.branding,
            locale: row.locale,
            created_at: row.created_at,
          }),
        )
        .execute();
    },

    async get(id) {
      const row = await db.selectFrom('hotspot_locations').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toLocation(row) : null;
    },

    async list() {
      const rows = await db.selectFrom('hotspot_locations').selectAll().orderBy('name').orderBy('id').execute();
      return rows.map(toLocation);
    },
  };
}
