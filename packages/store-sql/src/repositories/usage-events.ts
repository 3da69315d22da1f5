import {
  type AccountingVoucher,
  checkDistinctSessions,
  type EventsBatch,
  type EventsBatchResult,
  type SessionRecord,
  type UsageRepository,
  type UsageTotals,
  type VoucherUsageState,
} from '@hotspot-kit/core';
import type { Selectable } from 'kysely';
import { sql } from 'kysely';
import { opt } from '../sql/codec.js';
import type { UsageSessionsTable } from '../sql/database.js';
import { prepareQuery } from '../sql/prepared-query.js';
import type { SqlContext } from '../sql/sql-context.js';
import { createPostgresEventsWriter } from './usage-events-postgres.js';
import {
  type Bucket,
  type createSessionWrites,
  toSession,
  toSessionRow,
  toVoucherState,
  type VoucherStateRow,
} from './usage-rows.js';

/** Adds `delta` into `map[key]`. */
export function addInto<K>(map: Map<K, UsageTotals>, key: K, delta: UsageTotals): void {
  const into = map.get(key);
  if (!into) {
    map.set(key, { ...delta });
    return;
  }
  into.downloadBytes += delta.downloadBytes;
  into.uploadBytes += delta.uploadBytes;
  into.onlineSeconds += delta.onlineSeconds;
}

/**
 * The accounting batch of the SQL store (`usage.loadForEvents`, `usage.applyEvents`). SQLite
 * writes a batch in one BEGIN IMMEDIATE transaction of prepared statements (one guarded
 * upsert per session, one increment per voucher and per day bucket, one read back), which
 * costs microseconds each in-process; PostgreSQL writes it as one statement (see
 * `createPostgresEventsWriter`), because there every statement is a round trip.
 */
export function createUsageEvents(
  context: SqlContext,
  { insertSession, updateSession, addToTotals, addToDay }: ReturnType<typeof createSessionWrites>,
): Pick<UsageRepository, 'loadForEvents' | 'applyEvents'> {
  const { db, codec } = context;

  const selectSessions = prepareQuery<{ ids: unknown }, Selectable<UsageSessionsTable>>((slot) =>
    db
      .selectFrom('hotspot_usage_sessions')
      .selectAll()
      .where(codec.inList('session_id', slot('ids'))),
  );
  const selectVouchers = prepareQuery<
    { ids: unknown },
    { id: string; customer_id: string | null; location_id: string | null; timezone: string | null }
  >((slot) =>
    db
      .selectFrom('hotspot_vouchers as v')
      .leftJoin('hotspot_locations as l', 'l.id', 'v.location_id')
      .select(['v.id', 'v.customer_id', 'v.location_id', 'l.timezone'])
      .where(codec.inList('v.id', slot('ids'))),
  );
  const selectStates = prepareQuery<{ ids: unknown; after: unknown }, VoucherStateRow>((slot) =>
    db
      .selectFrom('hotspot_vouchers as v')
      .leftJoin('hotspot_usage_totals as t', 't.voucher_id', 'v.id')
      .selectAll('v')
      .select((eb) => [
        eb.fn.coalesce('t.download_bytes', sql.lit(0)).as('total_download'),
        eb.fn.coalesce('t.upload_bytes', sql.lit(0)).as('total_upload'),
        eb.fn.coalesce('t.online_seconds', sql.lit(0)).as('total_online'),
        eb
          .selectFrom('hotspot_usage_sessions as s')
          .select((e) => e.fn.countAll().as('n'))
          .whereRef('s.voucher_id', '=', 'v.id')
          .where(sql<boolean>`s.closed_at IS NULL`)
          .where('s.last_event_at', '>', slot('after'))
          .as('online'),
      ])
      .where(codec.inList('v.id', slot('ids'))),
  );
  const writePostgres = codec.dialect === 'postgres' ? createPostgresEventsWriter(context) : undefined;

  async function applyInTransaction({ writes, voucherIds, onlineAfter }: EventsBatch): Promise<EventsBatchResult> {
    return db.transaction().execute(async (trx) => {
      const applied: boolean[] = [];
      const totals = new Map<string, UsageTotals>();
      const days = new Map<string, UsageTotals>();
      for (const w of writes) {
        // One guarded statement per session: insert-if-absent, or compare-and-set on version.
        const ok =
          w.expectedVersion === null
            ? (await insertSession(trx, toSessionRow(codec, w.session, 0))).rows.length > 0
            : Boolean(
                (
                  await updateSession(trx, {
                    ...toSessionRow(codec, w.session, w.expectedVersion + 1),
                    expected_version: w.expectedVersion,
                  })
                ).numAffectedRows,
              );
        applied.push(ok);
        if (!ok) continue;
        for (const { day, delta } of w.days) {
          addInto(totals, w.session.voucherId, delta);
          addInto(days, `${w.session.voucherId}\n${day}`, delta);
        }
      }
      for (const [voucherId, t] of totals) {
        if (t.downloadBytes === 0 && t.uploadBytes === 0 && t.onlineSeconds === 0) continue;
        await addToTotals(trx, bucket(voucherId, '', t));
      }
      for (const [key, t] of days) {
        if (t.downloadBytes === 0 && t.uploadBytes === 0 && t.onlineSeconds === 0) continue;
        const [voucherId, day] = key.split('\n') as [string, string];
        await addToDay(trx, bucket(voucherId, day, t));
      }
      const vouchers = new Map<string, VoucherUsageState>();
      if (voucherIds.length > 0) {
        const { rows } = await selectStates(trx, {
          ids: codec.idList([...new Set(voucherIds)]),
          after: codec.time(onlineAfter),
        });
        for (const row of rows) vouchers.set(row.id, toVoucherState(row));
      }
      return { applied, vouchers };
    });
  }

  return {
    async loadForEvents(sessionIds, voucherIds) {
      const [sessionRows, voucherRows] = await Promise.all([
        sessionIds.length === 0 ? { rows: [] } : selectSessions(db, { ids: codec.idList([...new Set(sessionIds)]) }),
        voucherIds.length === 0 ? { rows: [] } : selectVouchers(db, { ids: codec.idList([...new Set(voucherIds)]) }),
      ]);
      const sessions = new Map<string, SessionRecord>();
      for (const row of sessionRows.rows) sessions.set(row.session_id, toSession(row));
      const vouchers = new Map<string, AccountingVoucher>();
      for (const row of voucherRows.rows) {
        const entry: AccountingVoucher = { timeZone: row.timezone ?? 'UTC' };
        const customerId = opt(row.customer_id);
        if (customerId !== undefined) entry.customerId = customerId;
        const locationId = opt(row.location_id);
        if (locationId !== undefined) entry.locationId = locationId;
        vouchers.set(row.id, entry);
      }
      return { sessions, vouchers };
    },

    async applyEvents(batch) {
      checkDistinctSessions(batch.writes);
      if (batch.writes.length === 0 && batch.voucherIds.length === 0) return { applied: [], vouchers: new Map() };
      return writePostgres ? writePostgres(batch) : applyInTransaction(batch);
    },
  };
}

function bucket(voucherId: string, day: string, t: UsageTotals): Bucket {
  return {
    voucher_id: voucherId,
    day,
    download_bytes: t.downloadBytes,
    upload_bytes: t.uploadBytes,
    online_seconds: t.onlineSeconds,
  };
}
