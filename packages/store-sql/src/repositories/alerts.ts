import { type AlertRepository, type BalanceAlert, HotspotKitError } from '@hotspot-kit/core';
import type { Selectable } from 'kysely';
import { compact, opt, readOptTime, readTime } from '../sql/codec.js';
import type { AlertsTable } from '../sql/database.js';
import type { SqlContext } from '../sql/sql-context.js';

function toAlert(row: Selectable<AlertsTable>): BalanceAlert {
  return compact({
    id: row.id,
    gatewayId: row.gateway_id,
    amount: Number(row.amount),
    currency: opt(row.currency),
    threshold: Number(row.threshold),
    createdAt: readTime(row.created_at),
    dismissedAt: readOptTime(row.dismissed_at),
  });
}

/** Low-balance alerts in `hotspot_alerts`. */
export function createSqlAlertsRepository({ db, codec }: SqlContext): AlertRepository {
  return {
    async insert(alert) {
      const inserted = await db
        .insertInto('hotspot_alerts')
        .values({
          id: alert.id,
          gateway_id: alert.gatewayId,
          amount: alert.amount,
          currency: alert.currency ?? null,
          threshold: alert.threshold,
          created_at: codec.time(alert.createdAt),
          dismissed_at: codec.optTime(alert.dismissedAt),
        })
        .onConflict((oc) => oc.column('id').doNothing())
        .returning('id')
        .executeTakeFirst();
      if (inserted === undefined) throw new HotspotKitError('CONFLICT', `Alert ${alert.id} exists already`);
    },

    async list(options = {}) {
      let query = db.selectFrom('hotspot_alerts').selectAll();
      if (!options.includeDismissed) query = query.where('dismissed_at', 'is', null);
      const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
      return rows.map(toAlert);
    },

    async dismiss(id, at) {
      const result = await db
        .updateTable('hotspot_alerts')
        .set({ dismissed_at: codec.time(at) })
        .where('id', '=', id)
        .where('dismissed_at', 'is', null)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },
  };
}
