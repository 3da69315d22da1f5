import type { OtpRepository } from '../hotspot-store.js';

// PLACEHOLDER: being implemented (see the issue that owns this repository).
export function createMemoryOtpRepository(): OtpRepository {
  throw new Error('createMemoryOtpRepository is not implemented yet');
}
