/** Running usage totals (of a voucher, a session or a day). Bytes are seen from the customer. */
export interface UsageTotals {
  /** Bytes sent to the customer: RADIUS Acct-Output-Octets (+ gigawords). */
  downloadBytes: number;
  /** Bytes sent by the customer: RADIUS Acct-Input-Octets (+ gigawords). */
  uploadBytes: number;
  onlineSeconds: number;
}

/** One accounting event from the host's RADIUS server or NAS. */
export interface AccountingEvent {
  type: 'start' | 'interim' | 'stop';
  /** Acct-Session-Id (unique per NAS; prefix it with the NAS id when several NAS share ids). */
  sessionId: string;
  voucherId: string;
  mac?: string;
  nasId?: string;
  /** Cumulative for the session, like RADIUS: not deltas. */
  inputOctets: number;
  outputOctets: number;
  inputGigawords?: number;
  outputGigawords?: number;
  /** Acct-Session-Time: seconds since the session started. */
  sessionTime: number;
  eventTime: Date;
}

/**
 * Why a session was closed: a stop event, silence for longer than `usage.staleSessionSeconds`,
 * or its NAS said it restarted (RADIUS Accounting-On / Accounting-Off).
 */
export type SessionCloseReason = 'stop' | 'stale' | 'nas-restart';

/**
 * What the store keeps of one accounting session: the highest counters seen so far (so
 * replays and out-of-order interims never count twice) and the raw counters of the latest
 * event (to detect a 32-bit wrap from a NAS that sends no gigawords).
 */
export interface SessionRecord {
  sessionId: string;
  voucherId: string;
  customerId?: string;
  mac?: string;
  nasId?: string;
  /** Highest 64-bit totals seen for the session. */
  inputBytes: number;
  outputBytes: number;
  sessionTime: number;
  /** Raw 32-bit octet counters and wraps inferred, for NAS without gigawords. */
  rawInputOctets: number;
  rawOutputOctets: number;
  inputWraps: number;
  outputWraps: number;
  startedAt: Date;
  /** Event time of the latest event applied. */
  lastEventAt: Date;
  /** When the session was closed (stop received, silence timeout, or the NAS restarted). */
  closedAt?: Date;
  closedReason?: SessionCloseReason;
  /** Bumped by every write; the store's compare-and-set guard. */
  version: number;
}

/** Usage of one calendar day (in the location's time zone), `day` as `YYYY-MM-DD`. */
export interface DailyUsage extends UsageTotals {
  day: string;
}
