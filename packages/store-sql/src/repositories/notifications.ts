import type { NotificationKind, NotificationRecord, NotificationRepository } from '@hotspot-kit/core';
import type { Insertable, Selectable } from 'kysely';
import { sql } from 'kysely';
import type { SqlCodec } from '../sql/codec.js';
import { compact, opt, readInt, readOptTime, readTime } from '../sql/codec.js';
import type { NotificationsTable } from '../sql/database.js';
import type { SqlContext } from '../sql/sql-context.js';

function toRecord(row: Selectable<NotificationsTable>): NotificationRecord {
  return compact({
    key: row.key,
    kind: row.kind as NotificationKind,
    status: row.status as NotificationRecord['status'],
    to: row.recipient,
    text: row.text,
    customerId: opt(row.customer_id),
    voucherId: opt(row.voucher_id),
    locationId: opt(row.location_id),
    attempts: readInt(row.attempts),
    nextAttemptAt: readOptTime(row.next_attempt_at),
    lastError: opt(row.last_error),
    smsId: opt(row.sms_id),
    createdAt: readTime(row.created_at),
    updatedAt: readTime(row.updated_at),
    version: readInt(row.version),
  });
}

function toRow(codec: SqlCodec, r: NotificationRecord, version: number): Insertable<NotificationsTable> {
  return {
    key: r.key,
    kind: r.kind,
    status: r.status,
    recipient: r.to,
    text: r.text,
    customer_id: r.customerId ?? null,
    voucher_id: r.voucherId ?? null,
    location_id: r.locationId ?? null,
    attempts: r.attempts,
    next_attempt_at: codec.optTime(r.nextAttemptAt),
    last_error: r.lastError ?? null,
    sms_id: r.smsId ?? null,
    created_at: codec.time(r.createdAt),
    updated_at: codec.time(r.updatedAt),
    version,
  };
}

const columns = [
  'key',
  'kind',
  'status',
  'recipient',
  'text',
  'customer_id',
  'voucher_id',
  'location_id',
  'attempts',
  'next_attempt_at',
  'last_error',
  'sms_id',
  'created_at',
  'updated_at',
  'version',
] as const;

/** Notification claims in `hotspot_notifications`: the unique key is the once-only guard. */
export function createSqlNotificationsRepository({ db, codec }: SqlContext): NotificationRepository {
  return {
    async claim(record) {
      const inserted = await db
        .insertInto('hotspot_notifications')
        .values(toRow(codec, record, record.version))
        .onConflict((oc) => oc.column('key').doNothing())
        .returning('key')
        .executeTakeFirst();
      return inserted !== undefined;
    },

    async get(key) {
      const row = await db
        .selectFrom('hotspot_notifications')
        .select(columns)
        .where('key', '=', key)
        .executeTakeFirst();
      return row ? toRecord(row as Selectable<NotificationsTable>) : null;
    },

    async update(next, expectedVersion) {
      const { key, ...row } = toRow(codec, next, expectedVersion + 1);
      const result = await db
        .updateTable('hotspot_notifications')
        .set(row)
        .where('key', '=', key)
        .where('version', '=', expectedVersion)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    async listDue(at, limit) {
      const rows = await db
        .selectFrom('hotspot_notifications')
        .select(columns)
        // Literal statuses, so that SQLite can use the partial index. A `claimed` record is due
        // when its send lease (nextAttemptAt) ran out: its sender died mid-send.
        .where(sql<boolean>`status IN ('failed', 'claimed')`)
        .where('next_attempt_at', '<=', codec.time(at))
        .orderBy('next_attempt_at')
        .orderBy('key')
        .limit(Math.max(0, limit))
        .execute();
      return rows.map((row) => toRecord(row as Selectable<NotificationsTable>));
    },

    async list({ voucherId, customerId, limit }) {
      let query = db.selectFrom('hotspot_notifications').select(columns);
      if (voucherId !== undefined) query = query.where('voucher_id', '=', voucherId);
      if (customerId !== undefined) query = query.where('customer_id', '=', customerId);
      query = query
        .orderBy('created_at', 'desc')
        .orderBy('key', 'desc')
        .limit(Math.max(0, limit ?? 100));
      const rows = await query.execute();
      return rows.map((row) => toRecord(row as Selectable<NotificationsTable>));
    },
  };
}
