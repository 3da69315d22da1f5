import type { HotspotStore } from './hotspot-store.js';
import { createMemoryAlertsRepository } from './memory/alerts.js';
import { createMemoryCustomersRepository } from './memory/customers.js';
import { createMemoryLocationsRepository } from './memory/locations.js';
import { createMemoryNotificationsRepository } from './memory/notifications.js';
import { createMemoryOtpRepository } from './memory/otp.js';
import { createMemoryPlansRepository } from './memory/plans.js';
import { createMemoryPortalSessionsRepository } from './memory/portal-sessions.js';
import { createMemoryRateLimitsRepository } from './memory/rate-limits.js';
import { createMemorySmsLogRepository } from './memory/sms-log.js';
import { createMemoryUsageRepository } from './memory/usage.js';
import { createMemoryVouchersRepository } from './memory/vouchers.js';

/**
 * A store that keeps everything in this process's memory: for tests, demos and single-process
 * hosts that can lose their data on restart. Every operation runs without an `await` between
 * its read and its write, so the atomic primitives hold within the process.
 *
 * @example
 * ```ts
 * const kit = createHotspotKit({ store: createMemoryStore(), secret: 'a-long-random-secret-value' })
 * ```
 */
export function createMemoryStore(): HotspotStore {
  const locations = createMemoryLocationsRepository();
  const vouchers = createMemoryVouchersRepository();
  return {
    locations,
    customers: createMemoryCustomersRepository(),
    plans: createMemoryPlansRepository(),
    vouchers,
    usage: createMemoryUsageRepository({ vouchers, locations }),
    otp: createMemoryOtpRepository(),
    rateLimits: createMemoryRateLimitsRepository(),
    notifications: createMemoryNotificationsRepository(),
    smsLog: createMemorySmsLogRepository(),
    alerts: createMemoryAlertsRepository(),
    portalSessions: createMemoryPortalSessionsRepository(),
    async close() {},
  };
}
