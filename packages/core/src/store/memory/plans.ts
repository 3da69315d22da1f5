import type { PlanRepository } from '../hotspot-store.js';

// PLACEHOLDER: being implemented (see the issue that owns this repository).
export function createMemoryPlansRepository(): PlanRepository {
  throw new Error('createMemoryPlansRepository is not implemented yet');
}
