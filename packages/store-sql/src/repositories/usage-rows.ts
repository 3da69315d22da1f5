import type { SessionRecord, UsageTotals, VoucherUsageState } from '@hotspot-kit/core';
import type { Insertable, Selectable } from 'kysely';
import type { SqlCodec } from '../sql/codec.js';
import { compact, opt, readInt, readOptTime, readTime } from '../sql/codec.js';
import type { UsageSessionsTable, VouchersTable } from '../sql/database.js';
import { prepareQuery } from '../sql/prepared-query.js';
import type { SqlContext } from '../sql/sql-context.js';
import { toVoucher } from './vouchers.js';

// Rows and statements shared by the usage repository and its accounting batch writers.

/** A `hotspot_usage_sessions` row as a record. */
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

/** A session record as a row, with the version the store sets. */
export function toSessionRow(codec: SqlCodec, s: SessionRecord, version: number): Insertable<UsageSessionsTable> {
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

/** Increments of one voucher's totals or one day bucket. */
export interface Bucket extends Record<string, unknown> {
  voucher_id: string;
  day: string;
  download_bytes: number;
  upload_bytes: number;
  online_seconds: number;
}

/** Every column of `hotspot_usage_sessions`. */
export const SESSION_COLUMNS = [
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

/** The counter columns of a totals or day row. */
export interface TotalsRow {
  download_bytes: unknown;
  upload_bytes: unknown;
  online_seconds: unknown;
}

/** Counter columns as totals (PostgreSQL may answer `int8` as strings). */
export function toTotals(row: TotalsRow): UsageTotals {
  return {
    downloadBytes: readInt(row.download_bytes),
    uploadBytes: readInt(row.upload_bytes),
    onlineSeconds: readInt(row.online_seconds),
  };
}

/** All-zero totals. */
export const zeros = (): UsageTotals => ({ downloadBytes: 0, uploadBytes: 0, onlineSeconds: 0 });

/** A voucher row with its totals and open sessions, as the batch reads it back. */
export type VoucherStateRow = Selectable<VouchersTable> & {
  total_download: unknown;
  total_upload: unknown;
  total_online: unknown;
  online: unknown;
};

/** Reads a {@link VoucherStateRow}. */
export function toVoucherState(row: VoucherStateRow, onlineExtra = 0): VoucherUsageState {
  return {
    voucher: toVoucher(row),
    totals: toTotals({
      download_bytes: row.total_download,
      upload_bytes: row.total_upload,
      online_seconds: row.total_online,
    }),
    onlineSessions: readInt(row.online) + onlineExtra,
  };
}

/**
 * The write statements of an accounting event, compiled once (see prepareQuery): the guarded
 * insert of a new session, the compare-and-set update of a known one, and the two increments,
 * the voucher's running totals and its day bucket, each an upsert that adds in the database
 * (not read-modify-write), so concurrent sessions of one voucher add up exactly.
 */
export function createSessionWrites({ db }: SqlContext) {
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
  return { insertSession, updateSession, addToTotals, addToDay };
}
