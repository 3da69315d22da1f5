import { createCustomerService } from '../customers/customer-service.js';
import type { SmsSender } from '../domain/sms.js';
import { HotspotKitError } from '../errors.js';
import { createEventBus, type EventBus } from '../events/event-bus.js';
import type { HotspotEvents } from '../events/hotspot-events.js';
import { createRateLimitService, type RateLimitService } from '../limits/rate-limit-service.js';
import { createLocationService } from '../locations/location-service.js';
import { type Logger, silentLogger } from '../logger.js';
import type { NotificationOptions } from '../notifications/notification-options.js';
import { createNotificationService } from '../notifications/notification-service.js';
import type { OtpOptions } from '../otp/otp-options.js';
import { createOtpService } from '../otp/otp-service.js';
import { createSplashService } from '../otp/splash-service.js';
import { createPhoneService } from '../phone/phone-service.js';
import { createPlanService } from '../plans/plan-service.js';
import { createPortalSessionService, type PortalSessionService } from '../sessions/portal-session-service.js';
import type { HotspotStore } from '../store/hotspot-store.js';
import { createTokenService } from '../tokens/token-service.js';
import { createUsageService } from '../usage/usage-service.js';
import { parseOrThrow } from '../validation.js';
import { createVoucherService } from '../vouchers/voucher-service.js';
import type { KitContext } from './kit-context.js';
import {
  kitOptionsSchema,
  type PhoneKitOptions,
  type PortalOptions,
  type ResolvedKitOptions,
  resolveKitOptions,
  type UsageOptions,
  type VoucherOptions,
} from './options.js';
import type {
  CustomerService,
  LocationService,
  NotificationService,
  OtpService,
  PhoneService,
  PlanService,
  SplashService,
  TokenService,
  UsageService,
  VoucherService,
} from './services.js';

/** Options of {@link createHotspotKit}. */
export interface HotspotKitOptions {
  /** `createMemoryStore()` or a store from `@hotspot-kit/store-sql`. */
  store: HotspotStore;
  /** Sends SMS, e.g. the router from `@hotspot-kit/sms`. Needed when any OTP or notification is on. */
  sms?: SmsSender;
  /** HMAC keys, at least 16 characters each: the first signs, all verify (rotation). */
  secret: string | string[];
  otp?: OtpOptions;
  portal?: PortalOptions;
  notifications?: NotificationOptions;
  phone?: PhoneKitOptions;
  usage?: UsageOptions;
  vouchers?: VoucherOptions;
  /** For tests and simulations. */
  clock?: () => Date;
  /** Default: silent. Never receives OTP codes or secrets. */
  logger?: Logger;
}

/** The kit: every service over one store. Made by {@link createHotspotKit}. */
export interface HotspotKit {
  readonly store: HotspotStore;
  /** The options after validation and defaults; the secrets stay inside the kit. */
  readonly options: ResolvedKitOptions;
  readonly locations: LocationService;
  readonly customers: CustomerService;
  readonly plans: PlanService;
  readonly vouchers: VoucherService;
  readonly usage: UsageService;
  readonly otp: OtpService;
  readonly splash: SplashService;
  readonly phone: PhoneService;
  readonly notifications: NotificationService;
  readonly tokens: TokenService;
  /** Signed-in portal sessions: checked per request, revoked at logout or "sign out everywhere". */
  readonly portalSessions: PortalSessionService;
  /** Per-client attempt limits (IPv6 counted per /64), shared by every app instance. */
  readonly rateLimits: RateLimitService;
  readonly events: EventBus<HotspotEvents>;
  /** The clock the kit runs on. */
  now(): Date;
  /** Resolves when every event handler started so far (e.g. notification sends) has finished. */
  settled(): Promise<void>;
  /**
   * Waits for pending work and unsubscribes from the SMS sender. It never closes the store or
   * the SMS sender it was handed (several kits may share them): shut down kit, then router,
   * then store.
   */
  close(): Promise<void>;
}

/**
 * Creates the kit. Options are validated here: a bad option throws a `HotspotKitError`
 * (`INVALID_CONFIG`) naming the field, and so does turning on OTP or a notification without
 * an SMS sender.
 *
 * @example
 * ```ts
 * const kit = createHotspotKit({ store: createMemoryStore(), sms: router, secret: process.env.KIT_SECRET! })
 * const plan = await kit.plans.create({ name: '1 day', simultaneousDevices: 2,
 *   expiry: { kind: 'after-activation', seconds: 86_400 } })
 * ```
 */
export function createHotspotKit(options: HotspotKitOptions): HotspotKit {
  if (options === null || typeof options !== 'object') {
    throw new HotspotKitError('INVALID_CONFIG', 'createHotspotKit needs an options object');
  }
  const { store, sms, clock, logger, ...plain } = options;
  if (!store || typeof store !== 'object' || !('vouchers' in store)) {
    throw new HotspotKitError('INVALID_CONFIG', 'Invalid kit options: store: must be a HotspotStore', {
      issues: [{ path: 'store', message: 'must be a HotspotStore (createMemoryStore() or a store-sql store)' }],
    });
  }
  if (sms !== undefined && typeof sms?.send !== 'function') {
    throw new HotspotKitError('INVALID_CONFIG', 'Invalid kit options: sms: must have a send(message) method', {
      issues: [{ path: 'sms', message: 'must have a send(message) method' }],
    });
  }
  const { secret, ...parsed } = parseOrThrow(kitOptionsSchema, plain, 'kit options', 'INVALID_CONFIG');
  const resolved = resolveKitOptions(parsed, sms !== undefined);
  if (!sms) requireNoSmsFeatures(resolved);

  const log = logger ?? silentLogger;
  const events = createEventBus<HotspotEvents>(log);
  const ctx: KitContext = {
    store,
    sms,
    secrets: typeof secret === 'string' ? [secret] : secret,
    clock: clock ?? (() => new Date()),
    events,
    logger: log,
    options: resolved,
  };

  const unsubscribeSms = sms?.subscribe?.((event) => {
    if (event.type === 'sms.balance.low') {
      const { type: _type, ...payload } = event;
      events.emit('sms.balance.low', payload);
    }
  });

  const phone = createPhoneService(ctx);
  const otp = createOtpService(ctx);
  const usage = createUsageService(ctx);
  const kit: HotspotKit = {
    store,
    options: resolved,
    locations: createLocationService(ctx),
    customers: createCustomerService(ctx),
    plans: createPlanService(ctx),
    vouchers: createVoucherService(ctx),
    usage: usage.service,
    otp,
    splash: createSplashService(ctx, otp),
    phone,
    notifications: createNotificationService(ctx),
    tokens: createTokenService(ctx),
    portalSessions: createPortalSessionService(ctx),
    rateLimits: createRateLimitService(ctx),
    events,
    now: () => ctx.clock(),
    settled: () => events.settled(),
    async close() {
      // The store and the SMS sender belong to whoever made them (several kits may share one).
      await usage.idle();
      await events.settled();
      unsubscribeSms?.();
    },
  };
  return kit;
}

function requireNoSmsFeatures(options: ResolvedKitOptions): void {
  const needSms: string[] = [];
  if (options.portal.otp) needSms.push('portal.otp');
  if (options.otp.splash) needSms.push('otp.splash');
  if (options.notifications.statusPageLink.enabled) needSms.push('notifications.statusPageLink.enabled');
  if (options.notifications.usageThreshold.enabled) needSms.push('notifications.usageThreshold.enabled');
  if (needSms.length === 0) return;
  throw new HotspotKitError(
    'SMS_NOT_CONFIGURED',
    `Invalid kit options: ${needSms.join(', ')} ${needSms.length === 1 ? 'needs' : 'need'} an SMS sender, but no 'sms' option was given`,
    { issues: needSms.map((path) => ({ path, message: 'needs an SMS sender (the sms option)' })) },
  );
}
