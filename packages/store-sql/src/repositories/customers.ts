import type { Customer, CustomerRepository } from '@hotspot-kit/core';
import type { Selectable } from 'kysely';
import { compact, opt, readTime } from '../sql/codec.js';
import type { CustomersTable } from '../sql/database.js';
import type { SqlContext } from '../sql/sql-context.js';

function toCustomer(row: Selectable<CustomersTable>): Customer {
  return compact({
    id: row.id,
    phone: row.phone,
    name: opt(row.name),
    email: opt(row.email),
    locationId: opt(row.location_id),
    createdAt: readTime(row.created_at),
  });
}

/** Customers in `hotspot_customers` (unique id and phone). */
export function createSqlCustomersRepository({ db, codec }: SqlContext): CustomerRepository {
  return {
    async insert(customer) {
      // ON CONFLICT without a target covers both unique keys (id and phone) in one statement.
      const inserted = await db
        .insertInto('hotspot_customers')
        .values({
          id: customer.id,
          phone: customer.phone,
          name: customer.name ?? null,
          email: customer.email ?? null,
          location_id: customer.locationId ?? null,
          created_at: codec.time(customer.createdAt),
        })
        .onConflict((oc) => oc.doNothing())
        .returning('id')
        .executeTakeFirst();
      return inserted !== undefined;
    },

    async get(id) {
      const row = await db.selectFrom('hotspot_customers').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toCustomer(row) : null;
    },

    async findByPhone(phone) {
      const row = await db.selectFrom('hotspot_customers').selectAll().where('phone', '=', phone).executeTakeFirst();
      return row ? toCustomer(row) : null;
    },

    async update(customer) {
      try {
        const result = await db
          .updateTable('hotspot_customers')
          .set({
            phone: customer.phone,
            name: customer.name ?? null,
            email: customer.email ?? null,
            location_id: customer.locationId ?? null,
            created_at: codec.time(customer.createdAt),
          })
          .where('id', '=', customer.id)
          .executeTakeFirst();
        return result.numUpdatedRows > 0n;
      } catch (error) {
        // The phone belongs to another customer: the unique index refuses it atomically.
        if (codec.isUniqueViolation(error)) return false;
        throw error;
      }
    },
  };
}
