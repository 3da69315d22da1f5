import type { DailyUsage, SessionRecord, UsageTotals } from '../../domain/usage.js';

/** What one accounting event changes, applied atomically by {@link UsageRepository.applySessionUpdate}. */
export interface SessionUpdate {
  /** The session's new state; its `version` is `expectedVersion + 1` (or 0 for a new session). */
  session: SessionRecord;
  /** `null`: insert the session (fails if it exists). Otherwise the version it must still have. */
  expectedVersion: number | null;
  /** Added to the voucher's totals and to the day's bucket. May be all zeros. */
  delta: UsageTotals;
  /** `YYYY-MM-DD` in the location's time zone, the bucket `delta` goes to. */
  day: string;
}

/**
 * Usage accounting: sessions, per-voucher running totals and per-day buckets. Raw events are
 * never stored, so reads never scan them.
 */
export interface UsageRepository {
  getSession(sessionId: string): Promise<SessionRecord | null>;
  /**
   * Atomically (one transaction): writes the session (insert when `expectedVersion` is
   * `null`, else compare-and-set on `version`), adds `delta` to the voucher's totals and to
   * the `(voucherId, day)` bucket. Returns `false` and changes nothing when the guard fails;
   * the caller re-reads the session and retries. Concurrent updates of one session therefore
   * never double count.
   */
  applySessionUpdate(update: SessionUpdate): Promise<boolean>;
  /** A voucher's running totals (zeros when it has none). */
  getTotals(voucherId: string): Promise<UsageTotals>;
  /** Totals of many vouchers; every id asked for is in the map (zeros when none). */
  getTotalsMany(voucherIds: readonly string[]): Promise<Map<string, UsageTotals>>;
  /**
   * Per-day usage summed over `voucherIds`, days `from`..`to` inclusive (`YYYY-MM-DD`),
   * ascending, days without usage left out.
   */
  dailyHistory(voucherIds: readonly string[], from: string, to: string): Promise<DailyUsage[]>;
  /** Sessions of these vouchers not closed and with `lastEventAt` after `seenAfter`. */
  openSessions(voucherIds: readonly string[], seenAfter: Date): Promise<SessionRecord[]>;
  /** Sessions of the NAS `nasId` not closed, oldest first (at most `limit`). */
  openSessionsByNas(nasId: string, limit: number): Promise<SessionRecord[]>;
  /**
   * Atomically closes the sessions of the NAS `nasId` that are not closed and whose
   * `lastEventAt` is at or before `at` (`closedAt = at`, `closedReason = 'nas-restart'`,
   * `version` bumped, so a racing compare-and-set fails and re-reads). Returns the sessions
   * as closed. For RADIUS Accounting-On / Off: the NAS lost every session it had.
   */
  closeNasSessions(nasId: string, at: Date): Promise<SessionRecord[]>;
  /** Sessions not closed whose `lastEventAt` is at or before `seenBefore`, oldest first. */
  staleSessions(seenBefore: Date, limit: number): Promise<SessionRecord[]>;
}
