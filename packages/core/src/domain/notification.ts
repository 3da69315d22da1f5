/** Which policy a notification came from. */
export type NotificationKind = 'status-page-link' | 'usage-threshold';

/**
 * A notification decision, claimed in the store before anything is sent (its `key` is
 * unique), so that concurrent events and several app instances send at most once.
 */
export interface NotificationRecord {
  /** e.g. `status-page-link:customer:<id>` or `usage-threshold:<voucherId>:traffic:90`. */
  key: string;
  kind: NotificationKind;
  /** `claimed` while the first send runs; `failed` waits for `retryFailed`; `abandoned` after the retry limit. */
  status: 'claimed' | 'sent' | 'failed' | 'abandoned';
  to: string;
  /** The rendered text, kept so that a retry sends the same message. */
  text: string;
  customerId?: string;
  voucherId?: string;
  locationId?: string;
  /** Sends started so far, the first included (a claim counts as the first). */
  attempts: number;
  /** `failed`: when the next retry is due. `claimed`: when the send lease ends (after it, the send counts as interrupted). */
  nextAttemptAt?: Date;
  lastError?: string;
  smsId?: string;
  createdAt: Date;
  updatedAt: Date;
  /** Bumped by every write; the store's compare-and-set guard. */
  version: number;
}
