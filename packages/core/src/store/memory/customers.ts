import type { Customer } from '../../domain/customer.js';
import type { CustomerRepository } from '../hotspot-store.js';
import { clone } from './clone.js';

/** In-memory {@link CustomerRepository}: unique by id and by phone, checked and written without an await between. */
export function createMemoryCustomersRepository(): CustomerRepository {
  const byId = new Map<string, Customer>();
  const idByPhone = new Map<string, string>();
  return {
    async insert(customer) {
      if (byId.has(customer.id) || idByPhone.has(customer.phone)) return false;
      byId.set(customer.id, clone(customer));
      idByPhone.set(customer.phone, customer.id);
      return true;
    },
    async get(id) {
      const found = byId.get(id);
      return found ? clone(found) : null;
    },
    async findByPhone(phone) {
      const id = idByPhone.get(phone);
      const found = id === undefined ? undefined : byId.get(id);
      return found ? clone(found) : null;
    },
    async update(customer) {
      const current = byId.get(customer.id);
      if (!current) return false;
      const owner = idByPhone.get(customer.phone);
      if (owner !== undefined && owner !== customer.id) return false;
      if (current.phone !== customer.phone) idByPhone.delete(current.phone);
      idByPhone.set(customer.phone, customer.id);
      byId.set(customer.id, clone(customer));
      return true;
    },
  };
}
