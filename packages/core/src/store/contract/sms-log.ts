import type { BalanceAlert, DeliveryReceipt, SmsLogEntry, SmsPurpose, SmsStatus } from '../../domain/sms.js';

/** Filters of the SMS log; all optional, combined with AND. */
export interface SmsLogFilter {
  /** E.164 recipient. */
  to?: string;
  status?: SmsStatus;
  purpose?: SmsPurpose;
  gatewayId?: string;
  locationId?: string;
  /** `createdAt >= since`. */
  since?: Date;
  /** `createdAt < until`. */
  until?: Date;
}

/** One page of the SMS log. */
export interface SmsLogPage {
  items: SmsLogEntry[];
  /** Pass as `cursor` for the next (older) page; absent on the last page. */
  nextCursor?: string;
}

/**
 * The SMS log. Delivery receipts are stored on their own and merged into entries when read,
 * so a receipt that arrives before its message is logged is never lost.
 */
export interface SmsLogRepository {
  insert(entry: SmsLogEntry): Promise<void>;
  /** Replaces the entry with this id (the send that created it owns it). */
  update(entry: SmsLogEntry): Promise<void>;
  /** One entry, with its latest receipt merged (status, `deliveredAt`, `errorCode`). */
  get(id: string): Promise<SmsLogEntry | null>;
  /** Entries matching `filter`, newest first (`createdAt`, then id), receipts merged. */
  list(filter: SmsLogFilter, page?: { limit?: number; cursor?: string }): Promise<SmsLogPage>;
  /**
   * Stores a receipt (the latest per `providerMessageId` wins, but a final `delivered` /
   * `undelivered` is never replaced by an earlier-stage status). Returns the entry it
   * applies to, or `null` when that message is not logged yet (the receipt is kept and
   * applied when it is).
   */
  recordReceipt(receipt: DeliveryReceipt): Promise<SmsLogEntry | null>;
  findByProviderMessageId(providerMessageId: string): Promise<SmsLogEntry | null>;
}

/** Low-balance alerts for the operator's dashboard. */
export interface AlertRepository {
  insert(alert: BalanceAlert): Promise<void>;
  /** Newest first; dismissed ones only when asked. */
  list(options?: { includeDismissed?: boolean }): Promise<BalanceAlert[]>;
  /** `false` when there is no such alert or it was dismissed already. */
  dismiss(id: string, at: Date): Promise<boolean>;
}
