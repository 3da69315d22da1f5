import type { SessionRecord, UsageRepository, UsageTotals } from '@hotspot-kit/core';
import type { Insertable, Selectable } from 'kysely';
import { sql } from 'kysely';
import type { SqlCodec } from '../sql/codec.js';
import { compact, opt, readInt, readOptTime, readTime } from '../sql/codec.js';
import type { UsageSessionsTable } from '../sql/database.js';
import { prepareQuery } from '../sql/prepared-query.js';
import type { SqlContext } from '../sql/sql-context.js';
import { createSqlNasSessionQueries } from './nas-sessions.js';

/** A session row as the domain record. */
export function toSession(row: Selectable<UsageSessionsTable>): SessionRecord {
  return compact({
    sessionId: row.session_id,
    voucherId: row.voucher_id,
    customerId: opt(row.customer_id),
    mac: opt(row.mac),
    nasId: opt(row.nas_id),
    inputBytes: readInt(row.input_bytes),
    outputBytes: readInt(row.output_bytes),
    sessionTime: readInt(row.session_time),
    rawInputOctets: readInt(row.raw_input_octets),
    rawOutputOctets: readInt(row.raw_output_octets),
    inputWraps: readInt(row.input_wraps),
    outputWraps: readInt(row.output_wraps),
    startedAt: readTime(row.started_at),
    lastEventAt: readTime(row.last_event_at),
    closedAt: readOptTime(row.closed_at),
    closedReason: opt(row.closed_reason) as SessionRecord['closedReason'],
    version: readInt(row.version),
  });
}

function toSessionRow(codec: SqlCodec, s: SessionRecord, version: number): Insertable<UsageSessionsTable> {
  return {
    session_id: s.sessionId,
    voucher_id: s.voucherId,
    customer_id: s.customerId ?? null,
    mac: s.mac ?? null,
    nas_id: s.nasId ?? null,
    input_bytes: s.inputBytes,
    output_bytes: s.outputBytes,
    session_time: s.sessionTime,
    raw_input_octets: s.rawInputOctets,
    raw_output_octets: s.rawOutputOctets,
    input_wraps: s.inputWraps,
    output_wraps: s.outputWraps,
    started_at: codec.time(s.startedAt),
    last_event_at: codec.time(s.lastEventAt),
    closed_at: codec.optTime(s.closedAt),
    closed_reason: s.closedReason ?? null,
    version,
  };
}

interface Bucket extends Record<string, unknown> {
  voucher_id: string;
  day: string;
  download_bytes: number;
  upload_bytes: number;
  online_seconds: number;
}

const SESSION_COLUMNS = [
  'session_id',
  'voucher_id',
  'customer_id',
  'mac',
  'nas_id',
  'input_bytes',
  'output_bytes',
  'session_time',
  'raw_input_octets',
  'raw_output_octets',
  'input_wraps',
  'output_wraps',
  'started_at',
  'last_event_at',
  'closed_at',
  'closed_reason',
  'version',
] as const;

interface TotalsRow {
  download_bytes: unknown;
  upload_bytes: unknown;
  online_seconds: unknown;
}

function toTotals(row: TotalsRow): UsageTotals {
  return {
    downloadBytes: readInt(row.download_bytes),
    uploadBytes: readInt(row.upload_bytes),
    onlineSeconds: readInt(row.online_seconds),
  };
}

const zeros = (): UsageTotals => ({ downloadBytes: 0, uploadBytes: 0, onlineSeconds: 0 });

/**
 * Usage in three tables: sessions (the highest counters seen), running totals per voucher and
 * per-day buckets per voucher. Raw accounting events are never stored, so every read is an
 * index lookup on the voucher ids asked for.
 */
export function createSqlUsageRepository({ db, codec }: SqlContext): UsageRepository {
  // The four statements of an accounting event, compiled once (see prepareQuery).
  const insertSession = prepareQuery<Insertable<UsageSessionsTable> & Record<string, unknown>, { session_id: string }>(
    (slot) =>
      db
        .insertInto('hotspot_usage_sessions')
        .values(Object.fromEntries(SESSION_COLUMNS.map((c) => [c, slot(c)])) as Insertable<UsageSessionsTable>)
        .onConflict((oc) => oc.column('session_id').doNothing())
        .returning('session_id'),
  );
  const updateSession = prepareQuery<Insertable<UsageSessionsTable> & { expected_version: number }>((slot) =>
    db
      .updateTable('hotspot_usage_sessions')
      .set(
        Object.fromEntries(SESSION_COLUMNS.filter((c) => c !== 'session_id').map((c) => [c, slot(c)])) as Partial<
          Insertable<UsageSessionsTable>
        >,
      )
      .where('session_id', '=', slot('session_id'))
      .where('version', '=', slot('expected_version')),
  );
  // Increments in the database (not read-modify-write), so concurrent sessions of one
  // voucher add up exactly.
  const addToTotals = prepareQuery<Bucket>((slot) =>
    db
      .insertInto('hotspot_usage_totals')
      .values({
        voucher_id: slot('voucher_id'),
        download_bytes: slot('download_bytes'),
        upload_bytes: slot('upload_bytes'),
        online_seconds: slot('online_seconds'),
      })
      .onConflict((oc) =>
        oc.column('voucher_id').doUpdateSet((eb) => ({
          download_bytes: eb('hotspot_usage_totals.download_bytes', '+', eb.ref('excluded.download_bytes')),
          upload_bytes: eb('hotspot_usage_totals.upload_bytes', '+', eb.ref('excluded.upload_bytes')),
          online_seconds: eb('hotspot_usage_totals.online_seconds', '+', eb.ref('excluded.online_seconds')),
        })),
      ),
  );
  const addToDay = prepareQuery<Bucket>((slot) =>
    db
      .insertInto('hotspot_usage_daily')
      .values({
        voucher_id: slot('voucher_id'),
        day: slot('day'),
        download_bytes: slot('download_bytes'),
        upload_bytes: slot('upload_bytes'),
        online_seconds: slot('online_seconds'),
      })
      .onConflict((oc) =>
        oc.columns(['voucher_id', 'day']).doUpdateSet((eb) => ({
          download_bytes: eb('hotspot_usage_daily.download_bytes', '+', eb.ref('excluded.download_bytes')),
          upload_bytes: eb('hotspot_usage_daily.upload_bytes', '+', eb.ref('excluded.upload_bytes')),
          online_seconds: eb('hotspot_usage_daily.online_seconds', '+', eb.ref('excluded.online_seconds')),
        })),
      ),
  );

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

    ...createSqlNasSessionQueries({ db, codec }),
  };
}

/** Thrown inside the transaction to roll it back when a guard fails. */
const GUARD_FAILED = new Error('session guard failed');

function unique(ids: readonly string[]): string[] {
  return [...new Set(ids)];
}
