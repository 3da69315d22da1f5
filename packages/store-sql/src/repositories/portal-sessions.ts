import type { PortalSessionRecord, PortalSessionRepository } from '@hotspot-kit/core';
import type { Selectable } from 'kysely';
import { compact, readOptTime, readTime } from '../sql/codec.js';
import type { PortalSessionsTable } from '../sql/database.js';
import { prepareQuery } from '../sql/prepared-query.js';
import type { SqlContext } from '../sql/sql-context.js';

/** Sessions this long past their end are deleted (every few hundred inserts per process). */
const PRUNE_AFTER_MS = 24 * 60 * 60 * 1000;
const PRUNE_EVERY_INSERTS = 500;

function toSession(row: Selectable<PortalSessionsTable>): PortalSessionRecord {
  return compact({
    id: row.id,
    phone: row.phone,
    createdAt: readTime(row.created_at),
    expiresAt: readTime(row.expires_at),
    revokedAt: readOptTime(row.revoked_at),
  });
}

/**
 * Signed-in portal sessions in `hotspot_portal_sessions`. Every signed-in portal request
 * reads one row by primary key (a prepared statement); revoking is one guarded UPDATE, so
 * each session is revoked by exactly one of racing calls on any number of instances.
 */
export function createSqlPortalSessionsRepository({ db, codec }: SqlContext): PortalSessionRepository {
  const selectSession = prepareQuery<{ id: string }, Selectable<PortalSessionsTable>>((slot) =>
    db.selectFrom('hotspot_portal_sessions').selectAll().where('id', '=', slot('id')),
  );
  let insertsSincePrune = 0;

  return {
    async insert(session) {
      insertsSincePrune += 1;
      if (insertsSincePrune >= PRUNE_EVERY_INSERTS) {
        insertsSincePrune = 0;
        // The store has no clock: the new session's creation time stands for "now".
        await db
          .deleteFrom('hotspot_portal_sessions')
          .where('expires_at', '<', codec.time(new Date(session.createdAt.getTime() - PRUNE_AFTER_MS)))
          .execute();
      }
      await db
        .insertInto('hotspot_portal_sessions')
        .values({
          id: session.id,
          phone: session.phone,
          created_at: codec.time(session.createdAt),
          expires_at: codec.time(session.expiresAt),
          revoked_at: codec.optTime(session.revokedAt),
        })
        .execute();
    },

    async get(id) {
      const [row] = (await selectSession(db, { id })).rows;
      return row ? toSession(row) : null;
    },

    async revoke(id, at) {
      const result = await db
        .updateTable('hotspot_portal_sessions')
        .set({ revoked_at: codec.time(at) })
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    async revokeAll(phone, at, options = {}) {
      let query = db
        .updateTable('hotspot_portal_sessions')
        .set({ revoked_at: codec.time(at) })
        .where('phone', '=', phone)
        .where('revoked_at', 'is', null);
      if (options.exceptId !== undefined) query = query.where('id', '<>', options.exceptId);
      const result = await query.executeTakeFirst();
      return Number(result.numUpdatedRows);
    },
  };
}
