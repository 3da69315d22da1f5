/** A traffic cap: either one total, or separate download and upload caps (bytes). */
export type TrafficLimit = { totalBytes: number } | { downloadBytes: number; uploadBytes: number };

/**
 * When a voucher stops being valid:
 * - `fixed`: at `validUntil`, whenever it was activated;
 * - `after-activation`: `seconds` after activation;
 * - `after-creation`: `seconds` after the voucher was created, activated or not.
 */
export type ExpiryRule =
  | { kind: 'fixed'; validUntil: Date }
  | { kind: 'after-activation'; seconds: number }
  | { kind: 'after-creation'; seconds: number };

/** The limits a plan gives its vouchers. A voucher keeps a snapshot of them. */
export interface PlanLimits {
  /** Download speed in kbit/s, for the NAS; absent means not shaped. */
  downloadKbps?: number;
  uploadKbps?: number;
  /** Absent means unlimited traffic. */
  trafficLimit?: TrafficLimit;
  /** Absent means unlimited online time. */
  onlineTimeSeconds?: number;
  /** How many devices (MAC addresses) a voucher may have bound at once. */
  simultaneousDevices: number;
  expiry: ExpiryRule;
}

/** A data plan: the template vouchers are made from. */
export interface Plan extends PlanLimits {
  id: string;
  name: string;
  createdAt: Date;
}
