import { describe } from 'vitest';
import type { HotspotStore } from '../store/hotspot-store.js';
import { alertsSuite } from './suites/alerts.js';
import { customersSuite } from './suites/customers.js';
import { locationsSuite } from './suites/locations.js';
import { nasSessionsSuite } from './suites/nas-sessions.js';
import { notificationsSuite } from './suites/notifications.js';
import { otpSuite } from './suites/otp.js';
import { plansSuite } from './suites/plans.js';
import { portalSessionsSuite } from './suites/portal-sessions.js';
import { rateLimitsSuite } from './suites/rate-limits.js';
import { smsLogSuite } from './suites/sms-log.js';
import type { MakeStore } from './suites/types.js';
import { usageSuite } from './suites/usage.js';
import { usageEventsSuite } from './suites/usage-events.js';
import { voucherLookupsSuite } from './suites/voucher-lookups.js';
import { vouchersSuite } from './suites/vouchers.js';

export * from './fixtures.js';
export type { MakeStore } from './suites/types.js';

/**
 * The store conformance suite: every `HotspotStore` implementation runs it (a vitest suite).
 * `makeStore` is called for each test and must return an empty store; the suite closes it.
 * Concurrency cases fire many parallel calls at one key and check the atomic guarantees.
 *
 * @example
 * ```ts
 * // my-store.test.ts
 * import { runStoreConformance } from '@hotspot-kit/core/testing'
 * runStoreConformance('my store', () => createMyStore())
 * ```
 */
export function runStoreConformance(name: string, makeStore: MakeStore): void {
  describe(`HotspotStore conformance: ${name}`, () => {
    locationsSuite(makeStore);
    customersSuite(makeStore);
    plansSuite(makeStore);
    vouchersSuite(makeStore);
    voucherLookupsSuite(makeStore);
    usageSuite(makeStore);
    nasSessionsSuite(makeStore);
    usageEventsSuite(makeStore);
    otpSuite(makeStore);
    rateLimitsSuite(makeStore);
    notificationsSuite(makeStore);
    smsLogSuite(makeStore);
    alertsSuite(makeStore);
    portalSessionsSuite(makeStore);
  });
}

export type { HotspotStore };
