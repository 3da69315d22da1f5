import type { VoucherRepository } from '../hotspot-store.js';

// PLACEHOLDER: being implemented (see the issue that owns this repository).
export function createMemoryVouchersRepository(): VoucherRepository {
  throw new Error('createMemoryVouchersRepository is not implemented yet');
}
