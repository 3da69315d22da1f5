import type { UsageRepository } from '@hotspot-kit/core';
import type { Selectable } from 'kysely';
import { sql } from 'kysely';
import type { UsageSessionsTable } from '../sql/database.js';
import type { SqlContext } from '../sql/sql-context.js';
import { toSession } from './usage-rows.js';

/**
 * The sessions of one NAS: the open ones, and closing them all in one statement when the NAS
 * says it restarted (RADIUS Accounting-On / Off). The `version` bump makes a racing
 * compare-and-set on any of them fail and re-read.
 */
export function createSqlNasSessionQueries({
  db,
  codec,
}: SqlContext): Pick<UsageRepository, 'openSessionsByNas' | 'closeNasSessions'> {
  return {
    async openSessionsByNas(nasId, limit) {
      const rows = await db
        .selectFrom('hotspot_usage_sessions')
        .selectAll()
        .where('nas_id', '=', nasId)
        .where(sql<boolean>`closed_at IS NULL`)
        .orderBy('last_event_at')
        .orderBy('session_id')
        .limit(Math.max(0, limit))
        .execute();
      return rows.map(toSession);
    },

    async closeNasSessions(nasId, at) {
      const rows = (await db
        .updateTable('hotspot_usage_sessions')
        .set((eb) => ({
          closed_at: codec.time(at),
          closed_reason: 'nas-restart',
          version: eb('version', '+', 1),
        }))
        .where('nas_id', '=', nasId)
        .where(sql<boolean>`closed_at IS NULL`)
        .where('last_event_at', '<=', codec.time(at))
        .returningAll()
        .execute()) as Selectable<UsageSessionsTable>[];
      return rows
        .map(toSession)
        .sort(
          (a, b) =>
            a.lastEventAt.getTime() - b.lastEventAt.getTime() ||
            (a.sessionId < b.sessionId ? -1 : a.sessionId > b.sessionId ? 1 : 0),
        );
    },
  };
}
