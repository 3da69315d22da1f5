import type { NotificationRepository } from '../hotspot-store.js';

// PLACEHOLDER: being implemented (see the issue that owns this repository).
export function createMemoryNotificationsRepository(): NotificationRepository {
  throw new Error('createMemoryNotificationsRepository is not implemented yet');
}
