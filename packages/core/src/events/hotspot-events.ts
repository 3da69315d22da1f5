import type { Customer } from '../domain/customer.js';
import type { OtpPurpose } from '../domain/otp.js';
import type { SessionCloseReason, SessionRecord, UsageTotals } from '../domain/usage.js';
import type { Device, Voucher, VoucherEndReason } from '../domain/voucher.js';

/**
 * Every event the kit emits, by name. Payloads never carry OTP codes or secrets.
 * `voucher.exhausted`, `voucher.expired` and `device.removed` are the host's cue to
 * disconnect (RADIUS CoA / Disconnect-Request).
 */
export interface HotspotEvents {
  'voucher.created': { voucher: Voucher; at: Date };
  'voucher.activated': { voucher: Voucher; customer: Customer | null; mac?: string; at: Date };
  'voucher.exhausted': { voucher: Voucher; reason: Exclude<VoucherEndReason, 'validity'>; at: Date };
  'voucher.expired': { voucher: Voucher; at: Date };
  'device.added': { voucherId: string; device: Device; at: Date };
  'device.updated': { voucherId: string; device: Device; at: Date };
  'device.removed': { voucherId: string; device: Device; at: Date };
  /** After an accounting event changed a voucher's totals. */
  'usage.updated': { voucher: Voucher; delta: UsageTotals; at: Date };
  'session.closed': { session: SessionRecord; reason: SessionCloseReason; at: Date };
  'otp.sent': { challengeId: string; phone: string; purpose: OtpPurpose; at: Date };
  'otp.verified': { challengeId: string; phone: string; purpose: OtpPurpose; at: Date };
  'otp.failed': { challengeId: string; phone: string; purpose: OtpPurpose; attemptsLeft: number; at: Date };
  'otp.locked': { phone: string; purpose: OtpPurpose; until: Date; at: Date };
  'notification.sent': { key: string; kind: string; smsId: string; at: Date };
  'notification.failed': { key: string; kind: string; error: string; willRetry: boolean; at: Date };
  'sms.balance.low': {
    gatewayId: string;
    amount: number;
    currency?: string;
    threshold: number;
    /** The gateway's `balanceCheck.email`, when set: the host sends the e-mail. */
    email?: string;
    at: Date;
  };
}

export type HotspotEventName = keyof HotspotEvents;
