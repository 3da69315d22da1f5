/** Error codes of `@hotspot-kit/portal-kit` (the web layer's own refusals). */
export const PORTAL_ERROR_CODES = {
  CSRF: 'CSRF',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  PAGE_NOT_FOUND: 'PAGE_NOT_FOUND',
  METHOD_NOT_ALLOWED: 'METHOD_NOT_ALLOWED',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  RATE_LIMITED: 'RATE_LIMITED',
  INVALID_INPUT: 'INVALID_INPUT',
} as const;

export type PortalErrorCode = keyof typeof PORTAL_ERROR_CODES;

/** The HTTP status for each {@link PortalErrorCode}. */
export const PORTAL_ERROR_HTTP_STATUS: Record<PortalErrorCode, number> = {
  CSRF: 403,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  PAGE_NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  INVALID_INPUT: 400,
};

/**
 * A request the portal refuses (bad CSRF token, no session, unknown page, ...). The browser
 * gets a friendly page and the API a JSON error with `code`; the status comes from
 * {@link PORTAL_ERROR_HTTP_STATUS}.
 *
 * @example
 * ```ts
 * throw new PortalError('CSRF', 'form token missing or wrong')
 * ```
 */
export class PortalError extends Error {
  override readonly name = 'PortalError';
  readonly code: PortalErrorCode;
  /** For `RATE_LIMITED`: when to try again. */
  readonly retryAfterSeconds: number | undefined;

  constructor(code: PortalErrorCode, message: string, options: { retryAfterSeconds?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  get httpStatus(): number {
    return PORTAL_ERROR_HTTP_STATUS[this.code];
  }
}

/** Type guard for {@link PortalError}, also across copies of the package. */
export function isPortalError(value: unknown): value is PortalError {
  return value instanceof PortalError || (value instanceof Error && value.name === 'PortalError');
}
