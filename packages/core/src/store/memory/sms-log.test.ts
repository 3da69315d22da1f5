// Runs the SMS log and alerts conformance cases on the memory repositories alone, so they are
// checked even while the rest of the memory store is being built.
import { alertsSuite } from '../../testing/suites/alerts.js';
import { smsLogSuite } from '../../testing/suites/sms-log.js';
import type { HotspotStore } from '../hotspot-store.js';
import { createMemoryAlertsRepository } from './alerts.js';
import { createMemorySmsLogRepository } from './sms-log.js';

const makeStore = async () =>
  ({
    smsLog: createMemorySmsLogRepository(),
    alerts: createMemoryAlertsRepository(),
    async close() {},
  }) as unknown as HotspotStore;

smsLogSuite(makeStore);
alertsSuite(makeStore);
