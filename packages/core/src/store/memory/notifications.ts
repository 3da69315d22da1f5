import type { NotificationRecord } from '../../domain/notification.js';
import type { NotificationRepository } from '../hotspot-store.js';
import { clone } from './clone.js';

/**
 * Notification claims in a `Map`. Each method reads and writes without an `await` in
 * between, so claim (insert-if-absent) and update (compare-and-set) are atomic in-process.
 */
export function createMemoryNotificationsRepository(): NotificationRepository {
  const records = new Map<string, NotificationRecord>();

  return {
    async claim(record) {
      if (records.has(record.key)) return false;
      records.set(record.key, clone(record));
      return true;
    },

    async get(key) {
      const record = records.get(key);
      return record ? clone(record) : null;
    },

    async update(next, expectedVersion) {
      const current = records.get(next.key);
      if (!current || current.version !== expectedVersion) return false;
      records.set(next.key, { ...clone(next), version: expectedVersion + 1 });
      return true;
    },

    async listDue(at, limit) {
      const due: NotificationRecord[] = [];
      for (const record of records.values()) {
        if (
          (record.status === 'failed' || record.status === 'claimed') &&
          record.nextAttemptAt &&
          record.nextAttemptAt <= at
        ) {
          due.push(record);
        }
      }
      due.sort(
        (a, b) =>
          (a.nextAttemptAt as Date).getTime() - (b.nextAttemptAt as Date).getTime() ||
          (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
      );
      return due.slice(0, Math.max(0, limit)).map(clone);
    },

    async list(filter) {
      const found: NotificationRecord[] = [];
      for (const record of records.values()) {
        if (filter.voucherId !== undefined && record.voucherId !== filter.voucherId) continue;
        if (filter.customerId !== undefined && record.customerId !== filter.customerId) continue;
        found.push(record);
      }
      found.sort(
        (a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.key < b.key ? 1 : a.key > b.key ? -1 : 0),
      );
      return found.slice(0, Math.max(0, filter.limit ?? 100)).map(clone);
    },
  };
}
