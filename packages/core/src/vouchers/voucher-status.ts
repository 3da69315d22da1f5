import type { ExpiryRule, PlanLimits } from '../domain/plan.js';
import type { UsageTotals } from '../domain/usage.js';
import type { VoucherEndReason, VoucherRecord, VoucherRemaining, VoucherStatus } from '../domain/voucher.js';

/** A stored-state change a voucher is due but may not have had written yet. */
export type VoucherDueChange =
  | { state: 'used'; reason: Exclude<VoucherEndReason, 'validity'> }
  | { state: 'expired'; reason: 'validity' };

/** What {@link evaluateVoucher} finds. */
export interface VoucherEvaluation {
  status: VoucherStatus;
  remaining: VoucherRemaining;
  /** Set when the stored state is behind: the voucher is past its validity or a limit. */
  due?: VoucherDueChange;
}

/**
 * When a voucher made under `rule` stops being valid. `undefined` while unknown: an
 * `after-activation` voucher that is not activated yet.
 *
 * @example
 * ```ts
 * computeExpiresAt({ kind: 'after-activation', seconds: 3600 }, { createdAt, activatedAt }) // activatedAt + 1 h
 * ```
 */
export function computeExpiresAt(rule: ExpiryRule, times: { createdAt: Date; activatedAt?: Date }): Date | undefined {
  switch (rule.kind) {
    case 'fixed':
      return new Date(rule.validUntil.getTime());
    case 'after-creation':
      return new Date(times.createdAt.getTime() + rule.seconds * 1000);
    case 'after-activation':
      return times.activatedAt ? new Date(times.activatedAt.getTime() + rule.seconds * 1000) : undefined;
  }
}

/**
 * Which limit `usage` has reached, if any: traffic (the total, or either of the separate
 * download and upload caps) before online time.
 */
export function limitReached(limits: PlanLimits, usage: UsageTotals): Exclude<VoucherEndReason, 'validity'> | null {
  const t = limits.trafficLimit;
  if (t) {
    if ('totalBytes' in t) {
      if (usage.downloadBytes + usage.uploadBytes >= t.totalBytes) return 'traffic';
    } else if (usage.downloadBytes >= t.downloadBytes || usage.uploadBytes >= t.uploadBytes) return 'traffic';
  }
  if (limits.onlineTimeSeconds !== undefined && usage.onlineSeconds >= limits.onlineTimeSeconds) return 'online-time';
  return null;
}

function left(limit: number, used: number): number {
  return Math.max(0, limit - used);
}

/**
 * The allowance left (`null`: no limit of that kind). With a total traffic cap,
 * `totalBytes` is what is left and the per-direction fields are `null`; with separate caps,
 * `downloadBytes` and `uploadBytes` are what is left of each and `totalBytes` their sum.
 */
export function remainingAllowance(
  record: Pick<VoucherRecord, 'limits' | 'expiresAt' | 'state'>,
  usage: UsageTotals,
  now: Date,
): VoucherRemaining {
  const { limits } = record;
  let totalBytes: number | null = null;
  let downloadBytes: number | null = null;
  let uploadBytes: number | null = null;
  const t = limits.trafficLimit;
  if (t && 'totalBytes' in t) totalBytes = left(t.totalBytes, usage.downloadBytes + usage.uploadBytes);
  else if (t) {
    downloadBytes = left(t.downloadBytes, usage.downloadBytes);
    uploadBytes = left(t.uploadBytes, usage.uploadBytes);
    totalBytes = downloadBytes + uploadBytes;
  }
  let validitySeconds: number | null = null;
  if (record.state === 'expired') validitySeconds = 0;
  else if (record.expiresAt)
    validitySeconds = Math.max(0, Math.floor((record.expiresAt.getTime() - now.getTime()) / 1000));
  else if (limits.expiry.kind === 'after-activation') validitySeconds = limits.expiry.seconds;
  return {
    totalBytes,
    downloadBytes,
    uploadBytes,
    onlineSeconds: limits.onlineTimeSeconds === undefined ? null : left(limits.onlineTimeSeconds, usage.onlineSeconds),
    validitySeconds,
  };
}

/**
 * Evaluates a voucher at `now`, without side effects: its status (`online` for an active
 * voucher with an open session), what is left, and a state change it is `due` when the stored
 * state is behind (a `new` or `active` voucher past `expiresAt` is due `expired`; an `active`
 * voucher at a limit is due `used`). Validity is checked before limits.
 *
 * @example
 * ```ts
 * evaluateVoucher(record, totals, { now, onlineSessions: 1 }).status // 'online'
 * ```
 */
export function evaluateVoucher(
  record: Pick<VoucherRecord, 'limits' | 'expiresAt' | 'state'>,
  usage: UsageTotals,
  context: { now: Date; onlineSessions: number },
): VoucherEvaluation {
  const { now } = context;
  let due: VoucherDueChange | undefined;
  if ((record.state === 'new' || record.state === 'active') && record.expiresAt && record.expiresAt <= now) {
    due = { state: 'expired', reason: 'validity' };
  } else if (record.state === 'active') {
    const reason = limitReached(record.limits, usage);
    if (reason) due = { state: 'used', reason };
  }
  const state = due ? due.state : record.state;
  const remaining = remainingAllowance({ ...record, state }, usage, now);
  const status: VoucherStatus = state === 'active' && context.onlineSessions > 0 ? 'online' : state;
  return due ? { status, remaining, due } : { status, remaining };
}

/** Sort rank of a status in a customer's list: online, active, new, then used and expired. */
export function statusRank(status: VoucherStatus): number {
  switch (status) {
    case 'online':
      return 0;
    case 'active':
      return 1;
    case 'new':
      return 2;
    default:
      return 3;
  }
}
