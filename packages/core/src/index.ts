// @hotspot-kit/core: the public API. Everything exported here is part of the contract.
export type * from './domain/index.js';
export * from './errors.js';
export type { EventBus, EventHandler } from './events/event-bus.js';
export type { HotspotEventName, HotspotEvents } from './events/hotspot-events.js';
export { createHotspotKit, type HotspotKit, type HotspotKitOptions } from './kit/create-hotspot-kit.js';
export type {
  PhoneKitOptions,
  PortalOptions,
  ResolvedKitOptions,
  UsageOptions,
  VoucherOptions,
} from './kit/options.js';
export type * from './kit/services.js';
export type { Logger } from './logger.js';
export { silentLogger } from './logger.js';
export type { NotificationOptions } from './notifications/notification-options.js';
export type { OtpOptions } from './otp/otp-options.js';
export {
  checkPhone,
  normalizePhone,
  type NormalizedPhone,
  type PhoneCheck,
  type PhoneOptions,
  type PhoneRefusalReason,
} from './phone/normalize-phone.js';
export type * from './store/hotspot-store.js';
export { createMemoryStore } from './store/memory-store.js';
