import type { Device, VoucherEndReason, VoucherRecord, VoucherRepository, VoucherState } from '@hotspot-kit/core';
import type { Insertable, Selectable } from 'kysely';
import { sql } from 'kysely';
import { CODE_KEY_SQL } from '../migrations/migrations.js';
import type { SqlCodec } from '../sql/codec.js';
import { compact, opt, readInt, readJson, readOptTime, readTime } from '../sql/codec.js';
import type { VouchersTable } from '../sql/database.js';
import { prepareQuery } from '../sql/prepared-query.js';
import type { SqlContext } from '../sql/sql-context.js';
import { readLimits, writeLimits } from './limits.js';

type StoredDevice = Omit<Device, 'addedAt'> & { addedAt: string };

// Rows per multi-row INSERT: well under both drivers' bound-parameter limits (17 columns each).
const INSERT_CHUNK = 400;

/** A `hotspot_vouchers` row as a record (extra columns of a join are ignored). */
export function toVoucher(row: Selectable<VouchersTable>): VoucherRecord {
  const devices = readJson<StoredDevice[]>(row.devices).map(
    (d): Device => compact({ ...d, addedAt: new Date(d.addedAt) }),
  );
  return compact({
    id: row.id,
    code: row.code,
    shortCode: opt(row.short_code),
    planId: row.plan_id,
    planName: row.plan_name,
    limits: readLimits(row.limits),
    customerId: opt(row.customer_id),
    locationId: opt(row.location_id),
    state: row.state as VoucherState,
    createdAt: readTime(row.created_at),
    activatedAt: readOptTime(row.activated_at),
    expiresAt: readOptTime(row.expires_at),
    endedAt: readOptTime(row.ended_at),
    endReason: opt(row.end_reason) as VoucherEndReason | undefined,
    devices,
    version: readInt(row.version),
  });
}

function toRow(codec: SqlCodec, v: VoucherRecord, version: number): Insertable<VouchersTable> {
  return {
    id: v.id,
    code: v.code,
    short_code: v.shortCode ?? null,
    plan_id: v.planId,
    plan_name: v.planName,
    limits: writeLimits(codec, v.limits),
    customer_id: v.customerId ?? null,
    location_id: v.locationId ?? null,
    state: v.state,
    created_at: codec.time(v.createdAt),
    activated_at: codec.optTime(v.activatedAt),
    expires_at: codec.optTime(v.expiresAt),
    ended_at: codec.optTime(v.endedAt),
    end_reason: v.endReason ?? null,
    devices: codec.json(v.devices.map((d) => ({ ...d, addedAt: d.addedAt.toISOString() }))),
    version,
  };
}

/** Vouchers in `hotspot_vouchers` (unique id, code and short code); devices as JSON. */
export function createSqlVouchersRepository({ db, codec }: SqlContext): VoucherRepository {
  const columns = [
    'id',
    'code',
    'short_code',
    'plan_id',
    'plan_name',
    'limits',
    'customer_id',
    'location_id',
    'state',
    'created_at',
    'activated_at',
    'expires_at',
    'ended_at',
    'end_reason',
    'devices',
    'version',
  ] as const;

  // The reads of every accounting event and every portal page, compiled once.
  const selectById = prepareQuery<{ id: string }, Selectable<VouchersTable>>((slot) =>
    db.selectFrom('hotspot_vouchers').select(columns).where('id', '=', slot('id')),
  );
  const selectByCustomer = prepareQuery<{ customer_id: string }, Selectable<VouchersTable>>((slot) =>
    db
      .selectFrom('hotspot_vouchers')
      .select(columns)
      .where('customer_id', '=', slot('customer_id'))
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc'),
  );

  return {
    async insert(voucher) {
      const inserted = await db
        .insertInto('hotspot_vouchers')
        .values(toRow(codec, voucher, voucher.version))
        .onConflict((oc) => oc.doNothing())
        .returning('id')
        .executeTakeFirst();
      return inserted !== undefined;
    },

    async insertMany(vouchers) {
      if (vouchers.length === 0) return [];
      // Sorted by code, so that two series inserted at once take their unique-index locks in
      // the same order; a deadlock between them (PostgreSQL aborts one) is retried.
      const sorted = [...vouchers].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
      for (let attempt = 1; ; attempt++) {
        try {
          const stored = new Set<string>();
          // One transaction: conflicting codes are skipped by the unique indexes and reported
          // back so the caller can make new ones.
          await db.transaction().execute(async (trx) => {
            for (let i = 0; i < sorted.length; i += INSERT_CHUNK) {
              const rows = await trx
                .insertInto('hotspot_vouchers')
                .values(sorted.slice(i, i + INSERT_CHUNK).map((v) => toRow(codec, v, v.version)))
                .onConflict((oc) => oc.doNothing())
                .returning('id')
                .execute();
              for (const row of rows) stored.add(row.id);
            }
          });
          return vouchers.filter((v) => !stored.has(v.id)).map((v) => v.id);
        } catch (error) {
          if (attempt >= 3 || (error as { code?: unknown } | null)?.code !== '40P01') throw error;
        }
      }
    },

    async get(id) {
      const [row] = (await selectById(db, { id })).rows;
      return row ? toVoucher(row) : null;
    },

    async getByCode(code) {
      const row = await db
        .selectFrom('hotspot_vouchers')
        .select(columns)
        .where((eb) => eb.or([eb('code', '=', code), eb('short_code', '=', code)]))
        .orderBy(sql`CASE WHEN code = ${code} THEN 0 ELSE 1 END`)
        .limit(1)
        .executeTakeFirst();
      return row ? toVoucher(row as Selectable<VouchersTable>) : null;
    },

    async findByCodeKey(key, limit = 2) {
      const rows = await db
        .selectFrom('hotspot_vouchers')
        .select(columns)
        // The indexed expression, word for word (SQLite matches expression indexes literally).
        .where(sql<boolean>`${sql.raw(CODE_KEY_SQL)} = ${key}`)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(Math.max(0, limit))
        .execute();
      return rows.map((row) => toVoucher(row as Selectable<VouchersTable>));
    },

    async listByDevice(mac, options = {}) {
      let query = db
        .selectFrom('hotspot_voucher_devices as d')
        .innerJoin('hotspot_vouchers as v', 'v.id', 'd.voucher_id')
        .select(columns.map((c) => `v.${c}` as const))
        .where('d.mac', '=', mac);
      if (options.states !== undefined) query = query.where(codec.inList('v.state', codec.idList(options.states)));
      query = query
        .orderBy(sql`CASE WHEN v.activated_at IS NULL THEN 1 ELSE 0 END`)
        .orderBy('v.activated_at', 'desc')
        .orderBy('v.created_at', 'desc')
        .orderBy('v.id', 'desc');
      if (options.limit !== undefined) query = query.limit(Math.max(0, options.limit));
      const rows = await query.execute();
      return rows.map((row) => toVoucher(row as Selectable<VouchersTable>));
    },

    async listByCustomer(customerId) {
      const { rows } = await selectByCustomer(db, { customer_id: customerId });
      return rows.map(toVoucher);
    },

    async update(next, expectedVersion) {
      const { id, ...row } = toRow(codec, next, expectedVersion + 1);
      try {
        const result = await db
          .updateTable('hotspot_vouchers')
          .set(row)
          .where('id', '=', id)
          .where('version', '=', expectedVersion)
          .executeTakeFirst();
        return result.numUpdatedRows > 0n;
      } catch (error) {
        // A new code or short code that another voucher holds: nothing written.
        if (codec.isUniqueViolation(error)) return false;
        throw error;
      }
    },

    async listExpiringBefore(at, limit) {
      const rows = await db
        .selectFrom('hotspot_vouchers')
        .select(columns)
        // Literal states, so that SQLite can use the partial index.
        .where(sql<boolean>`state IN ('new', 'active')`)
        .where('expires_at', '<=', codec.time(at))
        .orderBy('expires_at')
        .orderBy('id')
        .limit(Math.max(0, limit))
        .execute();
      return rows.map((row) => toVoucher(row as Selectable<VouchersTable>));
    },
  };
}
