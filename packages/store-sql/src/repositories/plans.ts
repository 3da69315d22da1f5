import { HotspotKitError, type Plan, type PlanLimits, type PlanRepository } from '@hotspot-kit/core';
import type { Selectable } from 'kysely';
import { readTime } from '../sql/codec.js';
import type { PlansTable } from '../sql/database.js';
import type { SqlContext } from '../sql/sql-context.js';
import { readLimits, writeLimits } from './limits.js';

function toPlan(row: Selectable<PlansTable>): Plan {
  const limits: PlanLimits = readLimits(row.limits);
  return { id: row.id, name: row.name, ...limits, createdAt: readTime(row.created_at) };
}

/** Data plans in `hotspot_plans`; the limits are one JSON document. */
export function createSqlPlansRepository({ db, codec }: SqlContext): PlanRepository {
  return {
    async insert(plan) {
      const { id, name, createdAt, ...limits } = plan;
      try {
        await db
          .insertInto('hotspot_plans')
          .values({ id, name, limits: writeLimits(codec, limits), created_at: codec.time(createdAt) })
          .execute();
      } catch (error) {
        if (codec.isUniqueViolation(error)) {
          throw new HotspotKitError('CONFLICT', `A plan with id '${id}' exists already`, { cause: error });
        }
        throw error;
      }
    },

    async get(id) {
      const row = await db
        .selectFrom('hotspot_plans')
        .select(['id', 'name', 'limits', 'created_at'])
        .where('id', '=', id)
        .executeTakeFirst();
      return row ? toPlan(row as Selectable<PlansTable>) : null;
    },

    async list() {
      const rows = await db
        .selectFrom('hotspot_plans')
        .select(['id', 'name', 'limits', 'created_at'])
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map((row) => toPlan(row as Selectable<PlansTable>));
    },
  };
}
