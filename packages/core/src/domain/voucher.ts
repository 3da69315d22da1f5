import type { PlanLimits } from './plan.js';
import type { UsageTotals } from './usage.js';

/** A voucher's stored state. `online` is never stored: it is derived from open sessions. */
export type VoucherState = 'new' | 'active' | 'used' | 'expired';

/** What the portal and the host see: the stored state, or `online` for an active voucher with an open session. */
export type VoucherStatus = VoucherState | 'online';

/** Why a voucher stopped: a limit reached (`used`) or validity over (`expired`). */
export type VoucherEndReason = 'traffic' | 'online-time' | 'validity';

/** A device (MAC address) bound to a voucher. */
export interface Device {
  /** Normalized `aa:bb:cc:dd:ee:ff`. */
  mac: string;
  label?: string;
  addedAt: Date;
  addedBy: 'customer' | 'operator' | 'login';
}

/** A voucher as the store keeps it. Usage totals live in the usage repository. */
export interface VoucherRecord {
  id: string;
  code: string;
  shortCode?: string;
  planId: string;
  planName: string;
  /** Snapshot of the plan's limits when the voucher was made. */
  limits: PlanLimits;
  customerId?: string;
  locationId?: string;
  state: VoucherState;
  createdAt: Date;
  activatedAt?: Date;
  /** Known at creation for `fixed` and `after-creation`, at activation for `after-activation`. */
  expiresAt?: Date;
  endedAt?: Date;
  endReason?: VoucherEndReason;
  devices: Device[];
  /** Bumped by every write; the store's compare-and-set guard. */
  version: number;
}

/** Remaining allowance; `null` means unlimited. */
export interface VoucherRemaining {
  totalBytes: number | null;
  downloadBytes: number | null;
  uploadBytes: number | null;
  onlineSeconds: number | null;
  validitySeconds: number | null;
}

/** The voucher read model returned by the kit: stored state plus usage and derived status. */
export interface Voucher extends VoucherRecord {
  status: VoucherStatus;
  usage: UsageTotals;
  remaining: VoucherRemaining;
  /** Open (not stale) accounting sessions right now. */
  onlineSessions: number;
}
