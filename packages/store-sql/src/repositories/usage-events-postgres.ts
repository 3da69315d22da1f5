import type { EventsBatch, EventsBatchResult, VoucherUsageState } from '@hotspot-kit/core';
import { sql } from 'kysely';
import { prepareQuery } from '../sql/prepared-query.js';
import type { SqlContext } from '../sql/sql-context.js';
import { toVoucherState, type VoucherStateRow } from './usage-rows.js';

/** Parameters of the batch statement: one array per column (unnest), so any batch size binds the same 25 values. */
interface BatchParams extends Record<string, unknown> {
  session_id: string[];
  voucher_id: (string | null)[];
  customer_id: (string | null)[];
  mac: (string | null)[];
  nas_id: (string | null)[];
  input_bytes: number[];
  output_bytes: number[];
  session_time: number[];
  raw_input_octets: number[];
  raw_output_octets: number[];
  input_wraps: number[];
  output_wraps: number[];
  started_at: Date[];
  last_event_at: Date[];
  closed_at: (Date | null)[];
  closed_reason: (string | null)[];
  expected_version: (number | null)[];
  d_session_id: string[];
  d_voucher_id: string[];
  d_day: string[];
  d_download: number[];
  d_upload: number[];
  d_online: number[];
  after: Date;
  voucher_ids: string[];
}

/** One row: the sessions written, and the vouchers read back as JSON (one value to parse, not a row each). */
interface BatchRow {
  applied: string[] | null;
  vouchers: VoucherStateRow[] | null;
}

/** PostgreSQL error codes after which the whole statement may simply run again. */
const RETRYABLE = new Set(['40P01', '40001']);
const MAX_STATEMENT_RUNS = 3;

/**
 * A batch of accounting writes as ONE PostgreSQL statement, so one round trip and one commit
 * (one WAL flush) however many events it carries. Data-modifying CTEs: the guarded insert of
 * new sessions and the compare-and-set update of known ones (each row checks its own guard;
 * a row whose guard fails is simply not written), then the day deltas of the sessions that
 * were written summed into the totals and day buckets (rows in key order, so two instances'
 * batches lock alike), then every asked voucher with its totals and open sessions (as one
 * JSON value: timestamps come back as ISO strings, which the row readers take). The
 * statement is atomic: it stores all of that or nothing. A deadlock with another instance's
 * batch (its rows lock in another order) runs it again.
 */
export function createPostgresEventsWriter({
  db,
  ddl,
}: SqlContext): (batch: EventsBatch) => Promise<EventsBatchResult> {
  const S = sql.raw(ddl.table('hotspot_usage_sessions'));
  const T = sql.raw(ddl.table('hotspot_usage_totals'));
  const D = sql.raw(ddl.table('hotspot_usage_daily'));
  const V = sql.raw(ddl.table('hotspot_vouchers'));
  const statement = prepareQuery<BatchParams, BatchRow>((p) => ({
    compile: () =>
      sql<BatchRow>`WITH ev AS (
  SELECT * FROM unnest(
    ${p('session_id')}::text[], ${p('voucher_id')}::text[], ${p('customer_id')}::text[], ${p('mac')}::text[],
    ${p('nas_id')}::text[], ${p('input_bytes')}::int8[], ${p('output_bytes')}::int8[], ${p('session_time')}::int8[],
    ${p('raw_input_octets')}::int8[], ${p('raw_output_octets')}::int8[], ${p('input_wraps')}::int4[],
    ${p('output_wraps')}::int4[], ${p('started_at')}::timestamptz[], ${p('last_event_at')}::timestamptz[],
    ${p('closed_at')}::timestamptz[], ${p('closed_reason')}::text[], ${p('expected_version')}::int4[]
  ) AS e(session_id, voucher_id, customer_id, mac, nas_id, input_bytes, output_bytes, session_time,
         raw_input_octets, raw_output_octets, input_wraps, output_wraps, started_at, last_event_at,
         closed_at, closed_reason, expected_version)
), ins AS (
  INSERT INTO ${S} (session_id, voucher_id, customer_id, mac, nas_id, input_bytes, output_bytes, session_time,
    raw_input_octets, raw_output_octets, input_wraps, output_wraps, started_at, last_event_at, closed_at,
    closed_reason, version)
  SELECT session_id, voucher_id, customer_id, mac, nas_id, input_bytes, output_bytes, session_time,
    raw_input_octets, raw_output_octets, input_wraps, output_wraps, started_at, last_event_at, closed_at,
    closed_reason, 0
  FROM ev WHERE expected_version IS NULL ORDER BY session_id
  ON CONFLICT (session_id) DO NOTHING
  RETURNING session_id
), upd AS (
  UPDATE ${S} AS s SET voucher_id = ev.voucher_id, customer_id = ev.customer_id, mac = ev.mac, nas_id = ev.nas_id,
    input_bytes = ev.input_bytes, output_bytes = ev.output_bytes, session_time = ev.session_time,
    raw_input_octets = ev.raw_input_octets, raw_output_octets = ev.raw_output_octets,
    input_wraps = ev.input_wraps, output_wraps = ev.output_wraps, started_at = ev.started_at,
    last_event_at = ev.last_event_at, closed_at = ev.closed_at, closed_reason = ev.closed_reason,
    version = ev.expected_version + 1
  FROM ev WHERE s.session_id = ev.session_id AND s.version = ev.expected_version
  RETURNING s.session_id
), applied AS (
  SELECT session_id FROM ins UNION ALL SELECT session_id FROM upd
), d AS (
  SELECT d.voucher_id, d.day, d.download_bytes, d.upload_bytes, d.online_seconds
  FROM unnest(${p('d_session_id')}::text[], ${p('d_voucher_id')}::text[], ${p('d_day')}::text[],
              ${p('d_download')}::int8[], ${p('d_upload')}::int8[], ${p('d_online')}::int8[])
       AS d(session_id, voucher_id, day, download_bytes, upload_bytes, online_seconds)
  WHERE d.session_id IN (SELECT session_id FROM applied)
), tot AS (
  INSERT INTO ${T} AS t (voucher_id, download_bytes, upload_bytes, online_seconds)
  SELECT voucher_id, sum(download_bytes), sum(upload_bytes), sum(online_seconds)
  FROM d GROUP BY voucher_id ORDER BY voucher_id
  ON CONFLICT (voucher_id) DO UPDATE SET download_bytes = t.download_bytes + excluded.download_bytes,
    upload_bytes = t.upload_bytes + excluded.upload_bytes, online_seconds = t.online_seconds + excluded.online_seconds
  RETURNING t.voucher_id, t.download_bytes, t.upload_bytes, t.online_seconds
), bucket AS (
  INSERT INTO ${D} AS b (voucher_id, day, download_bytes, upload_bytes, online_seconds)
  SELECT voucher_id, day, sum(download_bytes), sum(upload_bytes), sum(online_seconds)
  FROM d GROUP BY voucher_id, day ORDER BY voucher_id, day
  ON CONFLICT (voucher_id, day) DO UPDATE SET download_bytes = b.download_bytes + excluded.download_bytes,
    upload_bytes = b.upload_bytes + excluded.upload_bytes, online_seconds = b.online_seconds + excluded.online_seconds
)
SELECT (SELECT array_agg(session_id) FROM applied) AS applied, (SELECT json_agg(x) FROM (
  SELECT v.*,
    COALESCE(tot.download_bytes, cur.download_bytes, 0) AS total_download,
    COALESCE(tot.upload_bytes, cur.upload_bytes, 0) AS total_upload,
    COALESCE(tot.online_seconds, cur.online_seconds, 0) AS total_online,
    (SELECT count(*) FROM ${S} AS o
      WHERE o.voucher_id = v.id AND o.closed_at IS NULL AND o.last_event_at > ${p('after')}
        AND o.session_id NOT IN (SELECT session_id FROM applied)) AS online
  FROM ${V} AS v
  LEFT JOIN tot ON tot.voucher_id = v.id
  LEFT JOIN ${T} AS cur ON cur.voucher_id = v.id
  WHERE v.id = ANY(${p('voucher_ids')}::text[])
) AS x) AS vouchers`.compile(db),
  }));

  return async ({ writes, voucherIds, onlineAfter }) => {
    const params = toParams(writes, voucherIds, onlineAfter);
    let rows: BatchRow[] = [];
    for (let run = 1; ; run++) {
      try {
        rows = (await statement(db, params)).rows;
        break;
      } catch (error) {
        const code = (error as { code?: unknown } | null)?.code;
        if (run >= MAX_STATEMENT_RUNS || typeof code !== 'string' || !RETRYABLE.has(code)) throw error;
      }
    }
    const [row] = rows;
    const appliedIds = new Set(row?.applied ?? []);
    const applied = writes.map((w) => appliedIds.has(w.session.sessionId));
    // The statement's snapshot predates its own writes: it counted the other sessions; the
    // written ones count as they are now.
    const onlineWritten = new Map<string, number>();
    for (const w of writes) {
      const s = w.session;
      if (!appliedIds.has(s.sessionId) || s.closedAt || s.lastEventAt.getTime() <= onlineAfter.getTime()) continue;
      onlineWritten.set(s.voucherId, (onlineWritten.get(s.voucherId) ?? 0) + 1);
    }
    const vouchers = new Map<string, VoucherUsageState>();
    for (const state of row?.vouchers ?? []) {
      vouchers.set(state.id, toVoucherState(state, onlineWritten.get(state.id) ?? 0));
    }
    return { applied, vouchers };
  };
}

function toParams(writes: EventsBatch['writes'], voucherIds: readonly string[], after: Date): BatchParams {
  const p: BatchParams = {
    session_id: [],
    voucher_id: [],
    customer_id: [],
    mac: [],
    nas_id: [],
    input_bytes: [],
    output_bytes: [],
    session_time: [],
    raw_input_octets: [],
    raw_output_octets: [],
    input_wraps: [],
    output_wraps: [],
    started_at: [],
    last_event_at: [],
    closed_at: [],
    closed_reason: [],
    expected_version: [],
    d_session_id: [],
    d_voucher_id: [],
    d_day: [],
    d_download: [],
    d_upload: [],
    d_online: [],
    after,
    voucher_ids: [...new Set(voucherIds)],
  };
  for (const { session: s, expectedVersion, days } of writes) {
    p.session_id.push(s.sessionId);
    p.voucher_id.push(s.voucherId);
    p.customer_id.push(s.customerId ?? null);
    p.mac.push(s.mac ?? null);
    p.nas_id.push(s.nasId ?? null);
    p.input_bytes.push(s.inputBytes);
    p.output_bytes.push(s.outputBytes);
    p.session_time.push(s.sessionTime);
    p.raw_input_octets.push(s.rawInputOctets);
    p.raw_output_octets.push(s.rawOutputOctets);
    p.input_wraps.push(s.inputWraps);
    p.output_wraps.push(s.outputWraps);
    p.started_at.push(s.startedAt);
    p.last_event_at.push(s.lastEventAt);
    p.closed_at.push(s.closedAt ?? null);
    p.closed_reason.push(s.closedReason ?? null);
    p.expected_version.push(expectedVersion);
    for (const { day, delta } of days) {
      p.d_session_id.push(s.sessionId);
      p.d_voucher_id.push(s.voucherId);
      p.d_day.push(day);
      p.d_download.push(delta.downloadBytes);
      p.d_upload.push(delta.uploadBytes);
      p.d_online.push(delta.onlineSeconds);
    }
  }
  return p;
}
