import type { CustomerRepository } from './contract/customers.js';
import type { LocationRepository } from './contract/locations.js';
import type { NotificationRepository } from './contract/notifications.js';
import type { OtpRepository } from './contract/otp.js';
import type { PlanRepository } from './contract/plans.js';
import type { PortalSessionRepository } from './contract/portal-sessions.js';
import type { RateLimitRepository } from './contract/rate-limits.js';
import type { AlertRepository, SmsLogRepository } from './contract/sms-log.js';
import type { UsageRepository } from './contract/usage.js';
import type { VoucherRepository } from './contract/vouchers.js';

export type * from './contract/customers.js';
export type * from './contract/locations.js';
export type * from './contract/notifications.js';
export type * from './contract/otp.js';
export type * from './contract/plans.js';
export type * from './contract/portal-sessions.js';
export type * from './contract/rate-limits.js';
export type * from './contract/sms-log.js';
export type * from './contract/usage.js';
export type * from './contract/vouchers.js';

/**
 * Everything hotspot-kit keeps, as repositories. Race-sensitive operations are single calls
 * with atomic semantics (guarded increments, compare-and-set, insert-if-absent), so that
 * limits and single-use guarantees hold across app instances sharing one store. Every
 * implementation passes `runStoreConformance` from `@hotspot-kit/core/testing`.
 *
 * Records go in and come out as plain objects with `Date` fields; a store must not return
 * objects that alias what it keeps (callers may mutate what they get).
 */
export interface HotspotStore {
  readonly locations: LocationRepository;
  readonly customers: CustomerRepository;
  readonly plans: PlanRepository;
  readonly vouchers: VoucherRepository;
  readonly usage: UsageRepository;
  readonly otp: OtpRepository;
  readonly rateLimits: RateLimitRepository;
  readonly notifications: NotificationRepository;
  readonly smsLog: SmsLogRepository;
  readonly alerts: AlertRepository;
  /** Signed-in portal sessions (revocable on every instance). */
  readonly portalSessions: PortalSessionRepository;
  /** Releases connections; the store is unusable afterwards. */
  close(): Promise<void>;
}
