import type { DailyUsage, SessionRecord, UsageTotals } from '../../domain/usage.js';
import type { VoucherRecord } from '../../domain/voucher.js';

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

/** What accounting needs to know of a voucher before it writes an event. */
export interface AccountingVoucher {
  customerId?: string;
  locationId?: string;
  /** The IANA time zone of the voucher's location; `UTC` without one (or when it is unknown). */
  timeZone: string;
}

/** What {@link UsageRepository.loadForEvents} reads in one go. */
export interface AccountingContext {
  /** The stored sessions among the ids asked for (a new session is absent). */
  sessions: Map<string, SessionRecord>;
  /** The vouchers among the ids asked for (one that does not exist is absent). */
  vouchers: Map<string, AccountingVoucher>;
}

/** One session's share of a batch of accounting events: its new state and what it adds per day. */
export interface SessionEventsWrite {
  /** The session's new state; the store sets `version` (0 for a new session, else `expectedVersion + 1`). */
  session: SessionRecord;
  /** `null`: insert the session (the guard fails if it exists). Otherwise the version it must still have. */
  expectedVersion: number | null;
  /** Added to the voucher's totals and to each `(voucherId, day)` bucket; all-zero deltas may be left out. */
  days: ReadonlyArray<{ day: string; delta: UsageTotals }>;
}

/** A batch of accounting writes for {@link UsageRepository.applyEvents}. */
export interface EventsBatch {
  /** At most one write per session. */
  writes: readonly SessionEventsWrite[];
  /** Vouchers whose state after the batch the caller needs (those written, and those of replays that write nothing). */
  voucherIds: readonly string[];
  /** A session counts as online when it is not closed and was heard from after this instant. */
  onlineAfter: Date;
}

/** A voucher as it stands after a batch: what the kit builds its read model and limit checks from. */
export interface VoucherUsageState {
  voucher: VoucherRecord;
  totals: UsageTotals;
  /** Sessions of the voucher not closed and heard from after `onlineAfter`. */
  onlineSessions: number;
}

/** What {@link UsageRepository.applyEvents} did. */
export interface EventsBatchResult {
  /** Per write, in order: whether its guard held. `false`: nothing of that write was stored (re-read and retry). */
  applied: boolean[];
  /** The vouchers asked for, read after the writes, in the same transaction; one that does not exist is absent. */
  vouchers: Map<string, VoucherUsageState>;
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
  /**
   * The read before a batch of accounting events, in one round trip where the database
   * allows: the stored sessions and, per voucher, its customer and its location's time zone.
   */
  loadForEvents(sessionIds: readonly string[], voucherIds: readonly string[]): Promise<AccountingContext>;
  /**
   * Applies a batch of session writes in one transaction (group commit): each write is a
   * guarded upsert of its session (insert, or compare-and-set on `version`) that, when its
   * guard holds, adds its day deltas to the voucher's running totals and day buckets. A failed
   * guard skips that write only. Then reads the asked vouchers with their totals and online
   * sessions, in the same transaction, so limits are checked against what was just stored.
   * Resolves only once the transaction is committed (durable); rejects with nothing stored.
   * Throws `INVALID_INPUT` when two writes name one session.
   */
  applyEvents(batch: EventsBatch): Promise<EventsBatchResult>;
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
