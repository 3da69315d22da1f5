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
export type { ClientLimitResult, ClientLimitRule, RateLimitService } from './limits/rate-limit-service.js';
export type { Logger } from './logger.js';
export { silentLogger } from './logger.js';
// --- Domain helpers (issue 2): MAC addresses, voucher codes and status, accounting, day buckets ---
export {
  checkMac,
  isLocallyAdministered,
  type MacCheck,
  type MacRefusalReason,
  normalizeMac,
  type ParsedMac,
  parseMac,
} from './mac/parse-mac.js';
export type { NotificationOptions } from './notifications/notification-options.js';
// --- Notification policies and kit tokens (issue 6): templates, SMS segments, portal link tokens ---
export {
  DEFAULT_STATUS_PAGE_LINK_TEMPLATE,
  DEFAULT_USAGE_THRESHOLD_TEMPLATE,
  type NotificationRetryOptions,
  type ResolvedNotificationOptions,
  type StatusPageLinkPolicy,
  type UsageThresholdPolicy,
} from './notifications/notification-options.js';
export { parseNotificationOptions } from './notifications/parse-notification-options.js';
export {
  PORTAL_LINK_TOKEN_PARAM,
  PORTAL_PREFILL_PURPOSE,
  type PortalPrefillPayload,
  portalLinkWithToken,
  verifyPortalPrefillToken,
} from './notifications/portal-link.js';
export { countSmsSegments, nonGsm7Characters, type SmsSegmentCount } from './notifications/sms-segments.js';
export { type TemplateProblem, validateNotificationTemplate } from './notifications/template.js';
export { NOTIFICATION_TEMPLATE_VARIABLES, type TemplateVariable } from './notifications/template-variables.js';
export type { OtpOptions } from './otp/otp-options.js';
// --- OTP engine (issue 3): options, message templates, the phone check splash and OTP share ---
export { otpOptionsSchema, type ResolvedOtpOptions } from './otp/otp-options.js';
export {
  DEFAULT_OTP_TEMPLATES,
  OTP_TEMPLATE_VARIABLES,
  type OtpTemplates,
  type OtpTemplateVariable,
  otpTemplateProblem,
} from './otp/otp-template.js';
export {
  checkPhone,
  type NormalizedPhone,
  normalizePhone,
  type PhoneCheck,
  type PhoneOptions,
  type PhoneRefusalReason,
} from './phone/normalize-phone.js';
export type {
  PortalSessionService,
  PortalSessionStartInput,
  PortalSessionTarget,
} from './sessions/portal-session-service.js';
export type * from './store/hotspot-store.js';
// --- SMS log rules (issue 4): shared by every store so receipts merge and pages order alike ---
export {
  applyDeliveryReceipt,
  decodeSmsLogCursor,
  deliveryReceiptWins,
  encodeSmsLogCursor,
  newerFirst as smsLogNewerFirst,
} from './store/memory/sms-log-rules.js';
export { createMemoryStore } from './store/memory-store.js';
export { checkDistinctSessions } from './store/usage-batch.js';
export { dayKey, isTimeZone } from './usage/day-key.js';
export { applyAccountingEvent, GIGAWORD, type SessionStep } from './usage/session-accounting.js';
export { summarize as summarizeUsage } from './usage/usage-service.js';
export {
  DEFAULT_VOUCHER_ALPHABET,
  DEFAULT_VOUCHER_CODE_LENGTH,
  generateShortCode,
  generateVoucherCode,
  VOUCHER_CODE_SEPARATORS,
  voucherCodeKey,
} from './vouchers/voucher-code.js';
export {
  computeExpiresAt,
  evaluateVoucher,
  limitReached,
  remainingAllowance,
  type VoucherDueChange,
  type VoucherEvaluation,
} from './vouchers/voucher-status.js';
