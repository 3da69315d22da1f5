/**
 * Error codes of `@hotspot-kit/core`. Expected outcomes (a wrong OTP code, a refused send)
 * are results, not errors; these codes are for input that cannot be accepted and for
 * misconfiguration.
 */
export const HOTSPOT_KIT_ERROR_CODES = {
  INVALID_INPUT: 'INVALID_INPUT',
  INVALID_CONFIG: 'INVALID_CONFIG',
  INVALID_PHONE: 'INVALID_PHONE',
  INVALID_MAC: 'INVALID_MAC',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  DEVICE_LIMIT_REACHED: 'DEVICE_LIMIT_REACHED',
  VOUCHER_NOT_USABLE: 'VOUCHER_NOT_USABLE',
  INVALID_TEMPLATE: 'INVALID_TEMPLATE',
  INVALID_TOKEN: 'INVALID_TOKEN',
  RATE_LIMITED: 'RATE_LIMITED',
  SMS_NOT_CONFIGURED: 'SMS_NOT_CONFIGURED',
  STORE_ERROR: 'STORE_ERROR',
  INTERNAL: 'INTERNAL',
} as const;

export type HotspotKitErrorCode = keyof typeof HOTSPOT_KIT_ERROR_CODES;

/** The HTTP status a web layer (the portal) answers with for each error code. */
export const HOTSPOT_KIT_ERROR_HTTP_STATUS: Record<HotspotKitErrorCode, number> = {
  INVALID_INPUT: 400,
  INVALID_CONFIG: 500,
  INVALID_PHONE: 400,
  INVALID_MAC: 400,
  NOT_FOUND: 404,
  CONFLICT: 409,
  DEVICE_LIMIT_REACHED: 409,
  VOUCHER_NOT_USABLE: 409,
  INVALID_TEMPLATE: 400,
  INVALID_TOKEN: 401,
  RATE_LIMITED: 429,
  SMS_NOT_CONFIGURED: 500,
  STORE_ERROR: 500,
  INTERNAL: 500,
};

/** One problem with an input or option: where it is (`path`) and what is wrong with it. */
export interface ErrorIssue {
  path: string;
  message: string;
}

export interface HotspotKitErrorOptions {
  cause?: unknown;
  /** Machine-readable detail, e.g. `{ reason: 'premium-rate' }`. Never secrets or codes. */
  details?: Record<string, unknown>;
  issues?: ErrorIssue[];
}

/**
 * The one base error of `@hotspot-kit/core`. `code` comes from {@link HOTSPOT_KIT_ERROR_CODES};
 * `httpStatus` is what a web layer should answer with.
 *
 * @example
 * ```ts
 * try { kit.phone.normalize('call me') } catch (e) {
 *   if (isHotspotKitError(e) && e.code === 'INVALID_PHONE') console.log(e.details?.reason)
 * }
 * ```
 */
export class HotspotKitError extends Error {
  override readonly name: string = 'HotspotKitError';
  readonly code: HotspotKitErrorCode;
  readonly details: Record<string, unknown>;
  readonly issues: ErrorIssue[];

  constructor(code: HotspotKitErrorCode, message: string, options: HotspotKitErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options.details ?? {};
    this.issues = options.issues ?? [];
  }

  get httpStatus(): number {
    return HOTSPOT_KIT_ERROR_HTTP_STATUS[this.code];
  }
}

/** Type guard for {@link HotspotKitError}, also across copies of the package. */
export function isHotspotKitError(value: unknown): value is HotspotKitError {
  return (
    value instanceof HotspotKitError ||
    (value instanceof Error &&
      value.name === 'HotspotKitError' &&
      typeof (value as { code?: unknown }).code === 'string')
  );
}
