import type { RateLimitRepository } from '../hotspot-store.js';

// PLACEHOLDER: being implemented (see the issue that owns this repository).
export function createMemoryRateLimitsRepository(): RateLimitRepository {
  throw new Error('createMemoryRateLimitsRepository is not implemented yet');
}
