/** Error codes of `@hotspot-kit/sms`. A refused or failed send is a result (the log entry), not an error. */
export const SMS_ERROR_CODES = {
  INVALID_GATEWAY_CONFIG: 'INVALID_GATEWAY_CONFIG',
  INVALID_MESSAGE: 'INVALID_MESSAGE',
  UNKNOWN_GATEWAY: 'UNKNOWN_GATEWAY',
  NO_GATEWAY: 'NO_GATEWAY',
  BALANCE_UNAVAILABLE: 'BALANCE_UNAVAILABLE',
  INVALID_SIGNATURE: 'INVALID_SIGNATURE',
  LUA_ERROR: 'LUA_ERROR',
  LUA_TIMEOUT: 'LUA_TIMEOUT',
  LUA_MEMORY: 'LUA_MEMORY',
  LUA_SANDBOX: 'LUA_SANDBOX',
} as const;

export type SmsErrorCode = keyof typeof SMS_ERROR_CODES;

/** The HTTP status a web layer answers with for each code. */
export const SMS_ERROR_HTTP_STATUS: Record<SmsErrorCode, number> = {
  INVALID_GATEWAY_CONFIG: 400,
  INVALID_MESSAGE: 400,
  UNKNOWN_GATEWAY: 404,
  NO_GATEWAY: 503,
  BALANCE_UNAVAILABLE: 502,
  INVALID_SIGNATURE: 403,
  LUA_ERROR: 422,
  LUA_TIMEOUT: 422,
  LUA_MEMORY: 422,
  LUA_SANDBOX: 422,
};

export interface SmsErrorOptions {
  cause?: unknown;
  /** Which gateway, when the error is about one. */
  gatewayId?: string;
  /** Bad config fields, `{ path, message }`. */
  issues?: { path: string; message: string }[];
  /** Lua line number of a script error, when known. */
  luaLine?: number;
}

/**
 * The one base error of `@hotspot-kit/sms`, with a `code` from {@link SMS_ERROR_CODES}.
 * Messages never hold secrets: they are masked before an error is made.
 */
export class SmsError extends Error {
  override readonly name: string = 'SmsError';
  readonly code: SmsErrorCode;
  readonly gatewayId: string | undefined;
  readonly issues: { path: string; message: string }[];
  readonly luaLine: number | undefined;

  constructor(code: SmsErrorCode, message: string, options: SmsErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.gatewayId = options.gatewayId;
    this.issues = options.issues ?? [];
    this.luaLine = options.luaLine;
  }

  get httpStatus(): number {
    return SMS_ERROR_HTTP_STATUS[this.code];
  }
}

/** Type guard for {@link SmsError}, also across copies of the package. */
export function isSmsError(value: unknown): value is SmsError {
  return (
    value instanceof SmsError ||
    (value instanceof Error && value.name === 'SmsError' && typeof (value as { code?: unknown }).code === 'string')
  );
}
