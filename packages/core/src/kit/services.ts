import type { Customer } from '../domain/customer.js';
import type { Location, LocationBranding } from '../domain/location.js';
import type { NotificationRecord } from '../domain/notification.js';
import type { OtpPurpose } from '../domain/otp.js';
import type { ExpiryRule, Plan, TrafficLimit } from '../domain/plan.js';
import type { SmsLogEntry } from '../domain/sms.js';
import type { AccountingEvent, DailyUsage, SessionRecord, UsageTotals } from '../domain/usage.js';
import type { Device, Voucher } from '../domain/voucher.js';
import type { HotspotKitError } from '../errors.js';
import type { PhoneCheck, PhoneOptions } from '../phone/normalize-phone.js';
import type { HmacSigner } from '../platform/crypto.js';

export interface LocationInput {
  id?: string;
  name: string;
  timezone?: string;
  senderId?: string;
  branding?: LocationBranding;
  /** Language of the customers there, e.g. `de` (see `Location.locale`). */
  locale?: string;
}

/** `kit.locations`. */
export interface LocationService {
  /** Creates or replaces (when `id` exists) a location. */
  save(input: LocationInput): Promise<Location>;
  get(id: string): Promise<Location | null>;
  list(): Promise<Location[]>;
}

export interface CustomerInput {
  phone: string;
  name?: string;
  email?: string;
  locationId?: string;
}

/** `kit.customers`. Phones are normalized before anything is stored or looked up. */
export interface CustomerService {
  /** Throws `CONFLICT` when a customer with this phone exists. */
  create(input: CustomerInput): Promise<Customer>;
  /** The customer with this phone, created when absent (race-safe). */
  ensure(input: CustomerInput): Promise<Customer>;
  get(id: string): Promise<Customer | null>;
  findByPhone(phone: string): Promise<Customer | null>;
  update(id: string, patch: Partial<Omit<CustomerInput, 'phone'>>): Promise<Customer>;
}

export interface PlanInput {
  name: string;
  downloadKbps?: number;
  uploadKbps?: number;
  trafficLimit?: TrafficLimit;
  onlineTimeSeconds?: number;
  simultaneousDevices: number;
  expiry: ExpiryRule;
}

/** `kit.plans`. */
export interface PlanService {
  create(input: PlanInput): Promise<Plan>;
  get(id: string): Promise<Plan | null>;
  list(): Promise<Plan[]>;
}

/** How voucher codes look. */
export interface VoucherCodeOptions {
  /** Characters after the prefix (default 10). */
  length?: number;
  /** Default: digits and upper-case letters without look-alikes (no 0/O, 1/I/L, 2/Z, 5/S, 8/B). */
  alphabet?: string;
  /** e.g. `'SUMMER-'`. */
  prefix?: string;
  /** Also make a short numeric code of this many digits (for typing on a phone). */
  shortCodeLength?: number;
}

export interface VoucherInput {
  planId: string;
  customerId?: string;
  locationId?: string;
  code?: VoucherCodeOptions;
}

export interface VoucherSeriesInput extends VoucherInput {
  count: number;
}

export interface DeviceInput {
  mac: string;
  label?: string;
  addedBy?: Device['addedBy'];
}

/** Options of `kit.vouchers.pageForCustomer`. */
export interface VoucherPageOptions {
  /** Vouchers per page, 1 to 100 (default 10). */
  limit?: number;
  /** `next` of the page before; absent for the first page. */
  cursor?: string;
}

/** One page of a customer's vouchers. */
export interface VoucherPage {
  /** In `listForCustomer`'s order: online, active, new, then used and expired (newest first within each). */
  vouchers: Voucher[];
  /** How many vouchers the customer has in all. */
  total: number;
  /** The id of every voucher of the customer, in list order (to sum their usage without reading them again). */
  voucherIds: string[];
  /** The cursor of the next page; `null` on the last one. */
  next: string | null;
}

/** `kit.vouchers`. */
export interface VoucherService {
  create(input: VoucherInput): Promise<Voucher>;
  /** Makes `count` vouchers with unique codes (many thousands at once). */
  generateSeries(input: VoucherSeriesInput): Promise<Voucher[]>;
  /**
   * Activates a `new` voucher (binding `mac` as its first device, and assigning it to
   * `customerId` when given); emits `voucher.activated` once. Activating an active voucher
   * again binds the device if there is room and returns it without a second event. Throws
   * `VOUCHER_NOT_USABLE` for a used or expired voucher.
   */
  activate(voucherId: string, options?: { mac?: string; customerId?: string }): Promise<Voucher>;
  get(id: string): Promise<Voucher | null>;
  /**
   * The voucher with this code or short code. Case and separators (space, `-`, `_`, `.`) are
   * forgiven: `summer 7kq3-wxam` finds `SUMMER-7KQ3WXAM`. `null` when none (or, loosely
   * typed, when more than one code would match).
   */
  getByCode(code: string): Promise<Voucher | null>;
  /**
   * The usable voucher (new, or active within its limits and validity) that has the device
   * `mac` bound, for MAC login; active ones first (the most recently activated), then new
   * ones. With `includeEnded`, falls back to the most recently activated voucher the device
   * is bound to in any state (to file a late accounting event). Throws `INVALID_MAC`.
   */
  findByMac(mac: string, options?: { includeEnded?: boolean }): Promise<Voucher | null>;
  /** A customer's vouchers: online, active, new, then used and expired (newest first within each). */
  listForCustomer(customerId: string): Promise<Voucher[]>;
  /**
   * One page of `listForCustomer` (the current and newest vouchers first), for customers with
   * many vouchers: only the page's vouchers are read in full. Throws `INVALID_INPUT` naming
   * `limit` or `cursor`.
   */
  pageForCustomer(customerId: string, options?: VoucherPageOptions): Promise<VoucherPage>;
  /** Throws `DEVICE_LIMIT_REACHED`, `INVALID_MAC` or `CONFLICT` (already bound). */
  addDevice(voucherId: string, device: DeviceInput): Promise<Voucher>;
  updateDevice(voucherId: string, mac: string, patch: { label?: string }): Promise<Voucher>;
  /** Emits `device.removed` so the host disconnects the device. */
  removeDevice(voucherId: string, mac: string): Promise<Voucher>;
  /** Marks vouchers past their validity `expired` and emits `voucher.expired`; returns how many. */
  expireDue(): Promise<number>;
}

/** What `kit.usage.record` did with one event. */
export interface RecordUsageResult {
  /** What the event added to the voucher (zeros for a replay or a stale out-of-order event). */
  delta: UsageTotals;
  voucher: Voucher;
}

/** What `kit.usage.recordMany` did with one event: its result, or why it was not stored. */
export type RecordManyResult =
  | ({ ok: true } & RecordUsageResult)
  | {
      ok: false;
      /** `INVALID_INPUT` (naming the field), `NOT_FOUND`, `CONFLICT`, or `STORE_ERROR` with the cause. */
      error: HotspotKitError;
    };

/** A voucher's usage for the portal. */
export interface UsageSummary {
  voucherId: string;
  used: UsageTotals & { totalBytes: number };
  remaining: Voucher['remaining'];
  /** 0..100 of the traffic limit, `null` when unlimited. */
  trafficPercent: number | null;
  onlineTimePercent: number | null;
  status: Voucher['status'];
  expiresAt?: Date;
}

/** `kit.usage`. */
export interface UsageService {
  /**
   * Records one accounting event; resolves once it is stored (committed). Concurrent calls
   * share a transaction (group commit), each with its own result or error.
   */
  record(event: AccountingEvent): Promise<RecordUsageResult>;
  /**
   * Records many events (a replay: a FreeRADIUS detail file, a NAS's buffer after an outage),
   * at most 10,000 per call, in as few transactions as they fit. Each event gets its own
   * result in the same position; a bad event never fails the others.
   */
  recordMany(events: readonly AccountingEvent[]): Promise<RecordManyResult[]>;
  summary(voucherId: string): Promise<UsageSummary>;
  /** A customer's per-day usage, summed over their vouchers, days in the range inclusive. */
  history(customerId: string, range: { from: Date | string; to: Date | string }): Promise<DailyUsage[]>;
  /** Closes sessions silent for longer than `usage.staleSessionSeconds`; returns how many. */
  closeStaleSessions(): Promise<number>;
  /**
   * Sessions not closed yet (silent ones included until they are swept) of one voucher, or
   * of one NAS (oldest first, at most `limit`, default 10,000): whom to disconnect.
   */
  openSessions(filter: { voucherId: string } | { nasId: string; limit?: number }): Promise<SessionRecord[]>;
  /**
   * Closes every session of the NAS `nasId` last heard of at or before `at` (default: now),
   * as RADIUS Accounting-On / Off ask: the NAS restarted and lost them. Emits
   * `session.closed` (reason `nas-restart`) for each; returns them.
   */
  closeNasSessions(nasId: string, at?: Date): Promise<SessionRecord[]>;
}

export interface OtpStartInput {
  phone: string;
  purpose: OtpPurpose;
  ip?: string;
  locationId?: string;
  /** Language of the SMS text (a key of `otp.templates`), e.g. `'de'`. */
  locale?: string;
}

/** Why an OTP send was refused. */
export type OtpRefusalReason =
  | 'invalid-phone'
  | 'rate-limited'
  | 'phone-locked'
  | 'budget-exhausted'
  | 'resend-too-soon'
  | 'max-sends'
  | 'challenge-closed'
  | 'sms-failed';

export type OtpStartResult =
  | { ok: true; challengeId: string; expiresAt: Date; resendAfter: Date }
  | {
      ok: false;
      reason: OtpRefusalReason;
      /** When trying again makes sense (e.g. "try again in 40 s"). */
      retryAfterSeconds?: number;
      /** For `invalid-phone`: why the number was refused. */
      phoneReason?: string;
      message: string;
    };

export type OtpVerifyResult =
  | { ok: true; phone: string; purpose: OtpPurpose }
  | {
      ok: false;
      reason: 'wrong-code' | 'expired' | 'too-many-attempts' | 'already-used' | 'not-found' | 'phone-locked';
      attemptsLeft?: number;
      retryAfterSeconds?: number;
    };

/** `kit.otp`. Refusals are results, never exceptions. */
export interface OtpService {
  start(input: OtpStartInput): Promise<OtpStartResult>;
  resend(input: { challengeId: string; ip?: string; locale?: string }): Promise<OtpStartResult>;
  /**
   * Checks a code. With `purpose`, a challenge of another purpose answers `not-found` (the
   * portal passes `'portal'`, so a splash challenge can never sign anyone in).
   */
  verify(input: { challengeId: string; code: string; ip?: string; purpose?: OtpPurpose }): Promise<OtpVerifyResult>;
}

/** `kit.splash`: the splash (captive) page's phone check. */
export interface SplashService {
  /**
   * With `otp: false` only the phone's format and type are checked and the E.164 number is
   * returned; with `otp: true` a `splash` challenge is started.
   */
  checkPhone(input: {
    phone: string;
    otp: boolean;
    ip?: string;
    locationId?: string;
    locale?: string;
  }): Promise<
    | { ok: true; phone: string; otp: false }
    | ({ otp: true } & OtpStartResult)
    | { ok: false; otp: false; reason: 'invalid-phone'; phoneReason: string; message: string }
  >;
}

/** `kit.phone`. */
export interface PhoneService {
  /** E.164, or throws `INVALID_PHONE` naming the reason. Kit-wide `phone` options apply. */
  normalize(input: string, options?: PhoneOptions): string;
  /** The same check as a result. */
  check(input: string, options?: PhoneOptions): PhoneCheck;
}

/** Sample data for `kit.notifications.preview`. */
export interface NotificationPreviewSample {
  link?: string;
  customer?: { name?: string; phone?: string; email?: string };
  voucher?: { code?: string };
  plan?: { name?: string };
  location?: { name?: string };
  usage?: { percent?: number; kind?: 'traffic' | 'time' };
}

export interface NotificationPreview {
  text: string;
  encoding: 'GSM-7' | 'UCS-2';
  segments: number;
  characters: number;
}

/** `kit.notifications`. */
export interface NotificationService {
  /**
   * Renders a policy's template with sample data, without sending. `policy` may be a whole
   * policy object (`kind` is then inferred: `trafficPercent`/`timePercent` mean usage-threshold,
   * `frequency` status-page-link); its `portalUrl`, percentages and `linkTtlSeconds` shape the
   * sample. Throws `INVALID_TEMPLATE` naming a bad tag.
   */
  preview(
    policy: {
      template: string;
      kind?: 'status-page-link' | 'usage-threshold';
      enabled?: boolean;
      portalUrl?: string;
      trafficPercent?: number;
      timePercent?: number;
      frequency?: string;
      linkTtlSeconds?: number;
    },
    sample?: NotificationPreviewSample,
  ): NotificationPreview;
  /** Replaces the notification policies at runtime (validated; throws naming the bad field). */
  reload(options: unknown): void;
  /** Retries failed notifications that are due; returns what happened. */
  retryFailed(): Promise<{ retried: number; sent: number; failed: number; abandoned: number }>;
  list(filter: { voucherId?: string; customerId?: string; limit?: number }): Promise<NotificationRecord[]>;
}

/** `kit.tokens`: signed, expiring tokens (the portal link's phone pre-fill), and keyed signers. */
export interface TokenService {
  sign(payload: Record<string, string | number>, ttlSeconds: number): Promise<string>;
  /** The payload, or `null` when the signature, format or expiry is wrong. */
  verify(token: string): Promise<Record<string, string | number> | null>;
  /**
   * An HMAC-SHA256 signer under the kit secrets for one `purpose` (e.g. `'portal/session'`;
   * letters, digits, `/`, `-`, `_`, `.`): keys are derived per purpose, the first secret
   * signs and every secret verifies. For formats of one's own (the portal's cookies and
   * CSRF tokens) without handing the secret around. The same purpose gives the same keys.
   */
  signer(purpose: string): HmacSigner;
}

export type { HmacSigner, SmsLogEntry };
