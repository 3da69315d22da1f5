import type { UsageRepository } from '../hotspot-store.js';

// PLACEHOLDER: being implemented (see the issue that owns this repository).
export function createMemoryUsageRepository(): UsageRepository {
  throw new Error('createMemoryUsageRepository is not implemented yet');
}
