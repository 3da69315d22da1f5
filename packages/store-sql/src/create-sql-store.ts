import type { HotspotStore } from '@hotspot-kit/core';
import { createSqlAlertsRepository } from './repositories/alerts.js';
import { createSqlCustomersRepository } from './repositories/customers.js';
import { createSqlLocationsRepository } from './repositories/locations.js';
import { createSqlNotificationsRepository } from './repositories/notifications.js';
import { createSqlOtpRepository } from './repositories/otp.js';
import { createSqlPlansRepository } from './repositories/plans.js';
import { createSqlPortalSessionsRepository } from './repositories/portal-sessions.js';
import { createSqlRateLimitsRepository } from './repositories/rate-limits.js';
import { createSqlSmsLogRepository } from './repositories/sms-log.js';
import { createSqlUsageRepository } from './repositories/usage.js';
import { createSqlVouchersRepository } from './repositories/vouchers.js';
import type { SqlContext } from './sql/sql-context.js';

/** Builds the one SQL implementation of every repository over a Kysely instance of either dialect. */
export function createSqlStore(context: SqlContext, close: () => Promise<void>): HotspotStore {
  let closed: Promise<void> | undefined;
  return {
    locations: createSqlLocationsRepository(context),
    customers: createSqlCustomersRepository(context),
    plans: createSqlPlansRepository(context),
    vouchers: createSqlVouchersRepository(context),
    usage: createSqlUsageRepository(context),
    otp: createSqlOtpRepository(context),
    rateLimits: createSqlRateLimitsRepository(context),
    notifications: createSqlNotificationsRepository(context),
    smsLog: createSqlSmsLogRepository(context),
    alerts: createSqlAlertsRepository(context),
    portalSessions: createSqlPortalSessionsRepository(context),
    close() {
      closed ??= close();
      return closed;
    },
  };
}
