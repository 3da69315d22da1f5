import type { NotificationRecord } from '../../domain/notification.js';

/** Notification claims and the failed-send queue. */
export interface NotificationRepository {
  /**
   * Insert-if-absent on `record.key`: `true` for exactly one of any number of racing claims
   * of one key (across processes), `false` when the key exists. Claimed keys are never
   * released, which is what makes a notification go out at most once.
   */
  claim(record: NotificationRecord): Promise<boolean>;
  get(key: string): Promise<NotificationRecord | null>;
  /**
   * Compare-and-set on `version`: stores `next` (with `version = expectedVersion + 1`) only
   * if the stored version equals `expectedVersion`. A retry takes a failed record this way,
   * so two instances never retry the same notification at once.
   */
  update(next: NotificationRecord, expectedVersion: number): Promise<boolean>;
  /**
   * Records with status `failed` or `claimed` whose `nextAttemptAt` is at or before `at`,
   * soonest first (ties by `key`), at most `limit`. A `claimed` record's `nextAttemptAt` is the
   * end of its send lease: one still `claimed` after it was interrupted (its process died)
   * and is recovered by `retryFailed`. Records without `nextAttemptAt` are never due.
   */
  listDue(at: Date, limit: number): Promise<NotificationRecord[]>;
  /**
   * Records by voucher and/or customer (both given: both must match; none: all), newest
   * `createdAt` first, at most `limit` (default 100) (for the operator).
   */
  list(filter: { voucherId?: string; customerId?: string; limit?: number }): Promise<NotificationRecord[]>;
}
