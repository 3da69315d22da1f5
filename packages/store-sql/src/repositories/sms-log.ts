import {
  HotspotKitError,
  type SmsAttempt,
  type SmsLogEntry,
  type SmsLogRepository,
  type SmsStatus,
} from '@hotspot-kit/core';
import { type ExpressionBuilder, type Insertable, sql } from 'kysely';
import type { SqlCodec } from '../sql/codec.js';
import { compact, opt, readJson, readOptTime, readTime } from '../sql/codec.js';
import type { Database, SmsLogTable } from '../sql/database.js';
import type { SqlContext } from '../sql/sql-context.js';

type StoredAttempt = Omit<SmsAttempt, 'startedAt'> & { startedAt: string };

const DEFAULT_PAGE = 50;
const MAX_PAGE = 500;

/** Receipt statuses that end a message's life; an earlier-stage receipt never replaces them. */
const FINAL_SQL = "('delivered', 'undelivered', 'failed')";
const FINAL = new Set(['delivered', 'undelivered', 'failed']);

/**
 * The status a reader sees: a final receipt's (`delivered`, `undelivered`, `failed`), else the
 * entry's own. The same rule as {@link toEntry}, in SQL, so that `list` filters by it.
 */
const effectiveStatus = sql<string>`CASE WHEN r.status IN ${sql.raw(FINAL_SQL)} THEN r.status ELSE e.status END`;

interface JoinedRow {
  id: string;
  recipient: string;
  text: string;
  purpose: string;
  location_id: string | null;
  sender: string | null;
  status: string;
  gateway_id: string | null;
  provider_message_id: string | null;
  created_at: unknown;
  updated_at: unknown;
  delivered_at: unknown;
  error_code: string | null;
  attempts: unknown;
  meta: unknown;
  receipt_status: string | null;
  receipt_error_code: string | null;
  receipt_received_at: unknown;
}

function toEntry(row: JoinedRow): SmsLogEntry {
  const attempts = readJson<StoredAttempt[]>(row.attempts).map(
    (a): SmsAttempt => compact({ ...a, startedAt: new Date(a.startedAt) }),
  );
  const entry: SmsLogEntry = compact({
    id: row.id,
    to: row.recipient,
    text: row.text,
    purpose: row.purpose,
    locationId: opt(row.location_id),
    sender: opt(row.sender),
    status: row.status as SmsStatus,
    gatewayId: opt(row.gateway_id),
    providerMessageId: opt(row.provider_message_id),
    createdAt: readTime(row.created_at),
    updatedAt: readTime(row.updated_at),
    deliveredAt: readOptTime(row.delivered_at),
    errorCode: opt(row.error_code),
    attempts,
    meta: row.meta === null ? undefined : readJson<Record<string, string>>(row.meta),
  });
  // A final receipt sets the status (and `deliveredAt` or `errorCode`); `queued` and `sent`
  // receipts leave the entry as the send wrote it.
  if (row.receipt_status !== null && FINAL.has(row.receipt_status)) {
    entry.status = row.receipt_status as SmsStatus;
    if (row.receipt_status === 'delivered') entry.deliveredAt = readTime(row.receipt_received_at);
    if (row.receipt_error_code !== null) entry.errorCode = row.receipt_error_code;
  }
  return entry;
}

function toRow(codec: SqlCodec, e: SmsLogEntry): Insertable<SmsLogTable> {
  return {
    id: e.id,
    recipient: e.to,
    text: e.text,
    purpose: e.purpose,
    location_id: e.locationId ?? null,
    sender: e.sender ?? null,
    status: e.status,
    gateway_id: e.gatewayId ?? null,
    provider_message_id: e.providerMessageId ?? null,
    created_at: codec.time(e.createdAt),
    updated_at: codec.time(e.updatedAt),
    delivered_at: codec.optTime(e.deliveredAt),
    error_code: e.errorCode ?? null,
    attempts: codec.json(e.attempts.map((a) => ({ ...a, startedAt: a.startedAt.toISOString() }))),
    meta: e.meta === undefined ? null : codec.json(e.meta),
  };
}

// The same opaque cursor as the memory store: base64url of `{"t": createdAt ms, "id": id}`.
function encodeCursor(createdAt: Date, id: string): string {
  return Buffer.from(JSON.stringify({ t: createdAt.getTime(), id })).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { t?: unknown; id?: unknown };
    if (typeof value.t === 'number' && Number.isFinite(value.t) && typeof value.id === 'string') {
      return { createdAt: new Date(value.t), id: value.id };
    }
  } catch {
    // fall through to the typed error
  }
  throw new HotspotKitError('INVALID_INPUT', 'Invalid SMS log cursor', {
    issues: [{ path: 'cursor', message: 'is not a cursor returned by list()' }],
  });
}

function pageLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_PAGE;
  if (!Number.isInteger(limit) || limit < 1) {
    throw new HotspotKitError('INVALID_INPUT', `SMS log page limit must be a positive integer, got ${String(limit)}`, {
      issues: [{ path: 'limit', message: 'must be a positive integer' }],
    });
  }
  return Math.min(limit, MAX_PAGE);
}

/**
 * The SMS log in `hotspot_sms_log`, delivery receipts in `hotspot_sms_receipts` (one row per
 * provider message id). Reads join the receipt, so a receipt that arrives before its message
 * is logged is applied as soon as the message is.
 */
export function createSqlSmsLogRepository({ db, codec }: SqlContext): SmsLogRepository {
  function selectEntries() {
    return db
      .selectFrom('hotspot_sms_log as e')
      .leftJoin('hotspot_sms_receipts as r', 'r.provider_message_id', 'e.provider_message_id')
      .select([
        'e.id',
        'e.recipient',
        'e.text',
        'e.purpose',
        'e.location_id',
        'e.sender',
        'e.status',
        'e.gateway_id',
        'e.provider_message_id',
        'e.created_at',
        'e.updated_at',
        'e.delivered_at',
        'e.error_code',
        'e.attempts',
        'e.meta',
        'r.status as receipt_status',
        'r.error_code as receipt_error_code',
        'r.received_at as receipt_received_at',
      ]);
  }

  return {
    async insert(entry) {
      const inserted = await db
        .insertInto('hotspot_sms_log')
        .values(toRow(codec, entry))
        .onConflict((oc) => oc.column('id').doNothing())
        .returning('id')
        .executeTakeFirst();
      if (inserted === undefined) throw new HotspotKitError('CONFLICT', `SMS log entry ${entry.id} exists already`);
    },

    async update(entry) {
      const { id, ...row } = toRow(codec, entry);
      const result = await db.updateTable('hotspot_sms_log').set(row).where('id', '=', id).executeTakeFirst();
      if (result.numUpdatedRows === 0n) throw new HotspotKitError('NOT_FOUND', `No SMS log entry ${id}`);
    },

    async get(id) {
      const row = await selectEntries().where('e.id', '=', id).executeTakeFirst();
      return row ? toEntry(row as JoinedRow) : null;
    },

    async list(filter, page = {}) {
      const limit = pageLimit(page.limit);
      let query = selectEntries();
      if (filter.to !== undefined) query = query.where('e.recipient', '=', filter.to);
      if (filter.purpose !== undefined) query = query.where('e.purpose', '=', filter.purpose);
      if (filter.gatewayId !== undefined) query = query.where('e.gateway_id', '=', filter.gatewayId);
      if (filter.locationId !== undefined) query = query.where('e.location_id', '=', filter.locationId);
      if (filter.since !== undefined) query = query.where('e.created_at', '>=', codec.time(filter.since));
      if (filter.until !== undefined) query = query.where('e.created_at', '<', codec.time(filter.until));
      if (filter.status !== undefined) query = query.where(sql<boolean>`${effectiveStatus} = ${filter.status}`);
      if (page.cursor !== undefined) {
        const cursor = decodeCursor(page.cursor);
        const at = codec.time(cursor.createdAt);
        query = query.where((eb: ExpressionBuilder<Database & { e: SmsLogTable }, 'e'>) =>
          eb.or([eb('e.created_at', '<', at), eb.and([eb('e.created_at', '=', at), eb('e.id', '<', cursor.id)])]),
        );
      }
      const rows = (await query
        .orderBy('e.created_at', 'desc')
        .orderBy('e.id', 'desc')
        .limit(limit + 1)
        .execute()) as JoinedRow[];
      const items = rows.slice(0, limit).map(toEntry);
      const last = items[items.length - 1];
      return rows.length > limit && last ? { items, nextCursor: encodeCursor(last.createdAt, last.id) } : { items };
    },

    async recordReceipt(receipt) {
      const row = {
        provider_message_id: receipt.providerMessageId,
        status: receipt.status,
        error_code: receipt.errorCode ?? null,
        received_at: codec.time(receipt.receivedAt),
      };
      // One statement decides which receipt is kept: the latest, unless the kept one is final
      // and this one is an earlier stage that arrived late.
      await db
        .insertInto('hotspot_sms_receipts')
        .values(row)
        .onConflict((oc) => {
          const update = oc.column('provider_message_id').doUpdateSet({
            status: row.status,
            error_code: row.error_code,
            received_at: row.received_at,
          });
          return FINAL.has(receipt.status)
            ? update
            : update.where(sql<boolean>`hotspot_sms_receipts.status NOT IN ${sql.raw(FINAL_SQL)}`);
        })
        .execute();
      return findByProviderMessageId(receipt.providerMessageId);
    },

    findByProviderMessageId: (id) => findByProviderMessageId(id),
  };

  async function findByProviderMessageId(providerMessageId: string): Promise<SmsLogEntry | null> {
    const row = await selectEntries()
      .where('e.provider_message_id', '=', providerMessageId)
      .orderBy('e.created_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row ? toEntry(row as JoinedRow) : null;
  }
}
