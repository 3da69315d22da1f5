import type { VoucherRecord, VoucherState } from '../../domain/voucher.js';

/** Vouchers, unique by id, by `code` and by `shortCode` (when set). */
export interface VoucherRepository {
  /** Insert-if-absent: `false` (nothing stored) when the id, code or short code exists. */
  insert(voucher: VoucherRecord): Promise<boolean>;
  /**
   * Inserts many vouchers (one series). Vouchers whose code or short code already exists
   * are skipped; returns the ids of those skipped, so the caller can make new codes.
   */
  insertMany(vouchers: VoucherRecord[]): Promise<string[]>;
  get(id: string): Promise<VoucherRecord | null>;
  /** Finds by `code` or by `shortCode`, exact match (codes are stored upper case). */
  getByCode(code: string): Promise<VoucherRecord | null>;
  /**
   * Vouchers whose `code`, with the separators removed (see `voucherCodeKey`), equals
   * `key` (at most `limit`, default 2): a code typed without its prefix's dash, or with
   * other separators, still finds its voucher. Indexed; never a scan.
   */
  findByCodeKey(key: string, limit?: number): Promise<VoucherRecord[]>;
  /**
   * Vouchers that have the device `mac` (normalized `aa:bb:cc:dd:ee:ff`) bound, in one of
   * `states` when given; the most recently activated first (then the newest). Indexed by MAC.
   */
  listByDevice(mac: string, options?: { states?: readonly VoucherState[]; limit?: number }): Promise<VoucherRecord[]>;
  /** A customer's vouchers, newest first. */
  listByCustomer(customerId: string): Promise<VoucherRecord[]>;
  /**
   * Compare-and-set: replaces the voucher only if its stored `version` equals
   * `expectedVersion`, storing `next` with `version = expectedVersion + 1`. Returns `false`
   * (nothing written) otherwise. Of racing updates from one version, exactly one wins: this is
   * how activation, device limits and the one-time `voucher.exhausted` event stay race-safe.
   */
  update(next: VoucherRecord, expectedVersion: number): Promise<boolean>;
  /** Vouchers in state `new` or `active` whose `expiresAt` is at or before `at`, oldest first. */
  listExpiringBefore(at: Date, limit: number): Promise<VoucherRecord[]>;
}
