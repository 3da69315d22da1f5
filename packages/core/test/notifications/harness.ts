// Builds the notification service from a KitContext assembled by hand, so its claim / send /
// retry logic is tested on its own (the memory notifications repository is real; customers,
// locations and the SMS log are small in-memory stand-ins).
import type {
  Customer,
  HotspotEvents,
  HotspotStore,
  Location,
  NotificationOptions,
  SmsLogEntry,
  SmsLogRepository,
  SmsSender,
  Voucher,
} from '@hotspot-kit/core';
import { makeVoucherRecord } from '@hotspot-kit/core/testing';
import { createEventBus } from '../../src/events/event-bus.js';
import type { KitContext } from '../../src/kit/kit-context.js';
import { kitOptionsSchema, resolveKitOptions } from '../../src/kit/options.js';
import { silentLogger } from '../../src/logger.js';
import { createNotificationService } from '../../src/notifications/notification-service.js';
import { createMemoryNotificationsRepository } from '../../src/store/memory/notifications.js';
import { createTokenService } from '../../src/tokens/token-service.js';
import { createCapturingSmsSender } from '../support/capturing-sms-sender.js';

export const SECRET = 'test-secret-that-is-long-enough';
export const T0 = new Date('2026-03-01T10:00:00.000Z');

export function createSmsLogStandIn(): SmsLogRepository & { entries: Map<string, SmsLogEntry> } {
  const entries = new Map<string, SmsLogEntry>();
  return {
    entries,
    async insert(entry) {
      entries.set(entry.id, structuredClone(entry));
    },
    async update(entry) {
      entries.set(entry.id, structuredClone(entry));
    },
    async get(id) {
      return structuredClone(entries.get(id) ?? null);
    },
    async list(filter, page) {
      const items = [...entries.values()]
        .filter(
          (e) =>
            (!filter.to || e.to === filter.to) &&
            (!filter.purpose || e.purpose === filter.purpose) &&
            (!filter.since || e.createdAt >= filter.since),
        )
        .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())
        .slice(0, page?.limit ?? 50);
      return { items: structuredClone(items) };
    },
    async recordReceipt() {
      return null;
    },
    async findByProviderMessageId() {
      return null;
    },
  };
}

export interface Harness {
  ctx: KitContext;
  store: HotspotStore;
  sms: ReturnType<typeof createCapturingSmsSender>;
  smsLog: ReturnType<typeof createSmsLogStandIn>;
  service: ReturnType<typeof createNotificationService>;
  clock: { now: Date };
  events: Array<{ name: string; payload: unknown }>;
  customers: Map<string, Customer>;
  locations: Map<string, Location>;
  emit<K extends keyof HotspotEvents>(name: K, payload: HotspotEvents[K]): void;
  settled(): Promise<void>;
  tokens: ReturnType<typeof createTokenService>;
}

export function createHarness(
  notifications: NotificationOptions,
  options: {
    sms?: SmsSender | null;
    shared?: Pick<Harness, 'store' | 'clock' | 'customers' | 'locations' | 'smsLog'>;
    delayMs?: number;
  } = {},
): Harness {
  const clock = options.shared?.clock ?? { now: new Date(T0) };
  const customers = options.shared?.customers ?? new Map<string, Customer>();
  const locations = options.shared?.locations ?? new Map<string, Location>();
  const smsLog = options.shared?.smsLog ?? createSmsLogStandIn();
  const store =
    options.shared?.store ??
    ({
      notifications: createMemoryNotificationsRepository(),
      customers: { get: async (id: string) => structuredClone(customers.get(id) ?? null) },
      locations: { get: async (id: string) => structuredClone(locations.get(id) ?? null) },
      smsLog,
      close: async () => {},
    } as unknown as HotspotStore);
  const sms = createCapturingSmsSender({ log: smsLog, ...(options.delayMs ? { delayMs: options.delayMs } : {}) });
  const bus = createEventBus<HotspotEvents>(silentLogger);
  const events: Harness['events'] = [];
  bus.on('notification.sent', (payload) => void events.push({ name: 'notification.sent', payload }));
  bus.on('notification.failed', (payload) => void events.push({ name: 'notification.failed', payload }));
  const sender = options.sms === null ? undefined : (options.sms ?? sms);
  const ctx: KitContext = {
    store,
    sms: sender,
    secrets: [SECRET],
    clock: () => clock.now,
    events: bus,
    logger: silentLogger,
    options: resolveKitOptions(kitOptionsSchema.parse({ secret: SECRET, notifications }), sender !== undefined),
  };
  const service = createNotificationService(ctx);
  return {
    ctx,
    store,
    sms,
    smsLog,
    service,
    clock,
    events,
    customers,
    locations,
    emit: (name, payload) => bus.emit(name, payload),
    settled: () => bus.settled(),
    tokens: createTokenService(ctx),
  };
}

export function addCustomer(h: Pick<Harness, 'customers'>, overrides: Partial<Customer> = {}): Customer {
  const n = h.customers.size + 1;
  const customer: Customer = {
    id: `cus-${n}`,
    phone: `+1415555${String(1000 + n).padStart(4, '0')}`,
    name: 'Alex',
    createdAt: T0,
    ...overrides,
  };
  h.customers.set(customer.id, customer);
  return customer;
}

/** An active voucher read model (as events carry it). */
export function activeVoucher(overrides: Partial<Voucher> = {}): Voucher {
  const record = makeVoucherRecord({ state: 'active', activatedAt: T0, ...overrides });
  return {
    status: 'active',
    usage: { downloadBytes: 0, uploadBytes: 0, onlineSeconds: 0 },
    remaining: { totalBytes: null, downloadBytes: null, uploadBytes: null, onlineSeconds: null, validitySeconds: null },
    onlineSessions: 0,
    ...record,
    ...overrides,
  } as Voucher;
}
