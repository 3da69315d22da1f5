/** Error codes of `@hotspot-kit/radius`: bad options or input. Outcomes (a NAK, a timeout) are results. */
export const RADIUS_ERROR_CODES = {
  INVALID_CONFIG: 'INVALID_CONFIG',
  INVALID_INPUT: 'INVALID_INPUT',
  UNKNOWN_NAS: 'UNKNOWN_NAS',
  CLOSED: 'CLOSED',
} as const;

export type RadiusErrorCode = keyof typeof RADIUS_ERROR_CODES;

export interface RadiusErrorOptions {
  cause?: unknown;
  /** Where each problem is (`path`) and what is wrong with it. */
  issues?: { path: string; message: string }[];
}

/**
 * The one base error of `@hotspot-kit/radius`, with a `code` from {@link RADIUS_ERROR_CODES}
 * and `issues` naming the bad fields. Never carries a RADIUS shared secret.
 *
 * @example
 * ```ts
 * try { createRadiusDisconnector({ nas: [{ id: 'hq', address: '10.0.0.1' }] }) } catch (e) {
 *   if (isRadiusError(e)) console.log(e.code, e.issues) // INVALID_CONFIG [{ path: 'nas.0.secret', ... }]
 * }
 * ```
 */
export class RadiusError extends Error {
  override readonly name: string = 'RadiusError';
  readonly code: RadiusErrorCode;
  readonly issues: { path: string; message: string }[];

  constructor(code: RadiusErrorCode, message: string, options: RadiusErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.issues = options.issues ?? [];
  }
}

/** Type guard for {@link RadiusError}, also across copies of the package. */
export function isRadiusError(value: unknown): value is RadiusError {
  return (
    value instanceof RadiusError ||
    (value instanceof Error && value.name === 'RadiusError' && typeof (value as { code?: unknown }).code === 'string')
  );
}
