import type { SmsLogRepository } from '../hotspot-store.js';

// PLACEHOLDER: being implemented (see the issue that owns this repository).
export function createMemorySmsLogRepository(): SmsLogRepository {
  throw new Error('createMemorySmsLogRepository is not implemented yet');
}
