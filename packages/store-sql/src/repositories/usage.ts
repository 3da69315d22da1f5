import type { UsageRepository, UsageTotals } from '@hotspot-kit/core';
import type { Selectable } from 'kysely';
import { sql } from 'kysely';
import type { UsageSessionsTable } from '../sql/database.js';
import { prepareQuery } from '../sql/prepared-query.js';
import type { SqlContext } from '../sql/sql-context.js';
import { createSqlNasSessionQueries } from './nas-sessions.js';
import { createUsageEvents } from './usage-events.js';
import { createSessionWrites, type TotalsRow, toSession, toSessionRow, toTotals, zeros } from './usage-rows.js';

/**
 * Usage in three tables: sessions (the highest counters seen), running totals per voucher and
 * per-day buckets per voucher. Raw accounting events are never stored, so every read is an
 * index lookup on the voucher ids asked for.
 */
export function createSqlUsageRepository(context: SqlContext): UsageRepository {
  const { db, codec } = context;
  const writes = createSessionWrites(context);
  const { insertSession, updateSession, addToTotals, addToDay } = writes;
  const events = createUsageEvents(context, writes);

  // The portal's reads, compiled once: the id list is one parameter (codec.inList).
  const selectSession = prepareQuery<{ session_id: string }, Selectable<UsageSessionsTable>>((slot) =>
    db.selectFrom('hotspot_usage_sessions').selectAll().where('session_id', '=', slot('session_id')),
  );
  const selectTotals = prepareQuery<{ ids: unknown }, TotalsRow & { voucher_id: string }>((slot) =>
    db
      .selectFrom('hotspot_usage_totals')
      .select(['voucher_id', 'download_bytes', 'upload_bytes', 'online_seconds'])
      .where(codec.inList('voucher_id', slot('ids'))),
  );
  const selectHistory = prepareQuery<{ ids: unknown; from: string; to: string }, TotalsRow & { day: string }>((slot) =>
    db
      .selectFrom('hotspot_usage_daily')
      .select((eb) => [
        'day',
        eb.fn.sum<number | string>('download_bytes').as('download_bytes'),
        eb.fn.sum<number | string>('upload_bytes').as('upload_bytes'),
        eb.fn.sum<number | string>('online_seconds').as('online_seconds'),
      ])
      .where(codec.inList('voucher_id', slot('ids')))
      .where('day', '>=', slot('from'))
      .where('day', '<=', slot('to'))
      .groupBy('day')
      .orderBy('day'),
  );
  const selectOpen = prepareQuery<{ ids: unknown; after: unknown }, Selectable<UsageSessionsTable>>((slot) =>
    db
      .selectFrom('hotspot_usage_sessions')
      .selectAll()
      .where(codec.inList('voucher_id', slot('ids')))
      .where(sql<boolean>`closed_at IS NULL`)
      .where('last_event_at', '>', slot('after'))
      .orderBy('started_at')
      .orderBy('session_id'),
  );

  return {
    async getSession(sessionId) {
      const [row] = (await selectSession(db, { session_id: sessionId })).rows;
      return row ? toSession(row) : null;
    },

    async applySessionUpdate({ session, expectedVersion, delta, day }) {
      // The store sets the version: 0 for a new session, else one past the guard.
      const row = toSessionRow(codec, session, expectedVersion === null ? 0 : expectedVersion + 1);
      const hasDelta = delta.downloadBytes !== 0 || delta.uploadBytes !== 0 || delta.onlineSeconds !== 0;
      const bucket = {
        voucher_id: session.voucherId,
        day,
        download_bytes: delta.downloadBytes,
        upload_bytes: delta.uploadBytes,
        online_seconds: delta.onlineSeconds,
      };
      try {
        return await db.transaction().execute(async (trx) => {
          if (expectedVersion === null) {
            const { rows } = await insertSession(trx, row);
            if (rows.length === 0) throw GUARD_FAILED;
          } else {
            const { numAffectedRows } = await updateSession(trx, { ...row, expected_version: expectedVersion });
            if (!numAffectedRows) throw GUARD_FAILED;
          }
          if (!hasDelta) return true;
          await addToTotals(trx, bucket);
          await addToDay(trx, bucket);
          return true;
        });
      } catch (error) {
        if (error === GUARD_FAILED) return false;
        throw error;
      }
    },

    loadForEvents: events.loadForEvents,
    applyEvents: events.applyEvents,

    async getTotals(voucherId) {
      const [row] = (await selectTotals(db, { ids: codec.idList([voucherId]) })).rows;
      return row ? toTotals(row) : zeros();
    },

    async getTotalsMany(voucherIds) {
      const totals = new Map<string, UsageTotals>();
      for (const id of voucherIds) totals.set(id, zeros());
      if (voucherIds.length === 0) return totals;
      const { rows } = await selectTotals(db, { ids: codec.idList(unique(voucherIds)) });
      for (const row of rows) totals.set(row.voucher_id, toTotals(row));
      return totals;
    },

    async dailyHistory(voucherIds, from, to) {
      if (voucherIds.length === 0) return [];
      const { rows } = await selectHistory(db, { ids: codec.idList(unique(voucherIds)), from, to });
      return rows
        .map((row) => ({ day: row.day, ...toTotals(row) }))
        .filter((d) => d.downloadBytes !== 0 || d.uploadBytes !== 0 || d.onlineSeconds !== 0);
    },

    async openSessions(voucherIds, seenAfter) {
      if (voucherIds.length === 0) return [];
      const { rows } = await selectOpen(db, { ids: codec.idList(unique(voucherIds)), after: codec.time(seenAfter) });
      return rows.map(toSession);
    },

    async staleSessions(seenBefore, limit) {
      const rows = await db
        .selectFrom('hotspot_usage_sessions')
        .selectAll()
        .where(sql<boolean>`closed_at IS NULL`)
        .where('last_event_at', '<=', codec.time(seenBefore))
        .orderBy('last_event_at')
        .orderBy('session_id')
        .limit(Math.max(0, limit))
        .execute();
      return rows.map(toSession);
    },

    ...createSqlNasSessionQueries(context),
  };
}

/** Thrown inside the transaction to roll it back when a guard fails. */
const GUARD_FAILED = new Error('session guard failed');

function unique(ids: readonly string[]): string[] {
  return [...new Set(ids)];
}
