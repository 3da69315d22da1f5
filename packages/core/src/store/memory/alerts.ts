import type { AlertRepository } from '../hotspot-store.js';

// PLACEHOLDER: being implemented (see the issue that owns this repository).
export function createMemoryAlertsRepository(): AlertRepository {
  throw new Error('createMemoryAlertsRepository is not implemented yet');
}
