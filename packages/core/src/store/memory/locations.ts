import type { LocationRepository } from '../hotspot-store.js';

// PLACEHOLDER: being implemented (see the issue that owns this repository).
export function createMemoryLocationsRepository(): LocationRepository {
  throw new Error('createMemoryLocationsRepository is not implemented yet');
}
