import type { CustomerRepository } from '../hotspot-store.js';

// PLACEHOLDER: being implemented (see the issue that owns this repository).
export function createMemoryCustomersRepository(): CustomerRepository {
  throw new Error('createMemoryCustomersRepository is not implemented yet');
}
